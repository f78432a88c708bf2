package dev.httpcache.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.httpcache.codec.Codec;
import dev.httpcache.codec.CodecException;
import dev.httpcache.codec.CodecStage;
import dev.httpcache.codec.SecretKeys;
import dev.httpcache.model.CachedResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Jackson base codec behind every combination of the stock stages: round trips, and mutated
 * entries that end only in a CodecException (or its IntegrityException).
 */
final class PipelineFuzzTest {
  private static final SecretKeys KEYS = SecretKeys.of(key(9));

  private static byte[] key(int seed) {
    byte[] key = new byte[32];
    new Random(seed).nextBytes(key);
    return key;
  }

  static List<Codec> pipelines() {
    List<Codec> all = new ArrayList<>();
    for (Codec base : List.of(JacksonCodecs.json(), JacksonCodecs.yaml(), JacksonCodecs.cbor())) {
      all.add(base);
      all.add(Codec.pipeline(base, CodecStage.compressed()));
      all.add(Codec.pipeline(base, CodecStage.signed(KEYS)));
      all.add(Codec.pipeline(base, CodecStage.compressed(), CodecStage.encrypted(KEYS)));
      all.add(
          Codec.pipeline(
              base, CodecStage.compressed(), CodecStage.signed(KEYS), CodecStage.encrypted(KEYS)));
    }
    return all;
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    List<Codec> all = pipelines();
    for (int c = 0; c < all.size(); c++) {
      for (int seed = 0; seed < 150; seed++) {
        cases.add(Arguments.of(all.get(c), 104729L * c + seed));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("cases")
  void aMutatedEntryFailsCleanlyAndAGoodOneRoundTrips(Codec codec, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] body = new byte[random.nextInt(2000)];
    random.nextBytes(body);
    CachedResponse response = Samples.response("application/octet-stream", body);
    byte[] entry = codec.encode("k", response);
    assertThat(codec.decode("k", entry)).isEqualTo(response);
    byte[] mutated;
    switch (random.nextInt(3)) {
      case 0:
        mutated = Arrays.copyOf(entry, random.nextInt(entry.length));
        break;
      case 1:
        mutated = entry.clone();
        mutated[random.nextInt(mutated.length)] ^= (byte) (1 << random.nextInt(8));
        break;
      default:
        mutated = new byte[random.nextInt(300)];
        random.nextBytes(mutated);
    }
    try {
      codec.decode("k", mutated);
      assertThat(codec.authenticates()).as("an authenticated codec accepted a change").isFalse();
    } catch (CodecException expected) {
      // the documented failure
    } catch (IOException | RuntimeException | Error e) {
      fail("escaped: " + e, e);
    }
  }
}
