package dev.httpcache.codec;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.httpcache.model.CachedResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class CodecPipelineTest {
  static final SecretKeys KEYS = SecretKeys.of(bytes(1), bytes(2));
  static final SecretKeys OTHER = SecretKeys.of(bytes(3));

  static byte[] bytes(int seed) {
    byte[] key = new byte[32];
    new Random(seed).nextBytes(key);
    return key;
  }

  /** Every combination of the stock stages, in the order the design gives. */
  static Stream<Codec> codecs() {
    List<Codec> all = new ArrayList<>();
    CodecStage[] stages = {
      CodecStage.compressed(), CodecStage.signed(KEYS), CodecStage.encrypted(KEYS)
    };
    for (int mask = 0; mask < 8; mask++) {
      List<CodecStage> chosen = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        if ((mask & (1 << i)) != 0) {
          chosen.add(stages[i]);
        }
      }
      all.add(Codec.pipeline(Codec.binary(), chosen.toArray(new CodecStage[0])));
    }
    return all.stream();
  }

  static Stream<Arguments> codecsAndBodies() {
    byte[] random = new byte[100_000];
    new Random(5).nextBytes(random);
    byte[] large = new byte[4 * 1024 * 1024];
    new Random(6).nextBytes(large);
    byte[] text = "a compressible line of text\n".repeat(400).getBytes(UTF_8);
    return codecs()
        .flatMap(
            c ->
                Stream.of(new byte[0], new byte[] {7}, text, random, large)
                    .map(body -> Arguments.of(c, body)));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("codecsAndBodies")
  void everyCombinationRoundTrips(Codec codec, byte[] body) throws IOException {
    CachedResponse response = BinaryCodecTest.sample(body, Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(codec.decode("key-1", codec.encode("key-1", response))).isEqualTo(response);
  }

  @Test
  void aPipelineIsNamedForItsStagesAndSaysWhetherItAuthenticates() {
    Codec all =
        Codec.pipeline(
            Codec.binary(),
            CodecStage.compressed(),
            CodecStage.signed(KEYS),
            CodecStage.encrypted(KEYS));
    assertThat(all.name()).isEqualTo("binary-v2+deflate+hmac-sha256+aes-256-gcm");
    assertThat(all.authenticates()).isTrue();
    assertThat(Codec.pipeline(Codec.binary(), CodecStage.compressed()).authenticates()).isFalse();
    assertThat(Codec.signed(KEYS).name()).isEqualTo("binary-v2+hmac-sha256");
    assertThat(Codec.encrypted(KEYS).name()).isEqualTo("binary-v2+deflate+aes-256-gcm");
  }

  private static CachedResponse sample() {
    return BinaryCodecTest.sample(
        "secret body text".getBytes(UTF_8), Instant.parse("2030-01-01T00:00:00Z"));
  }

  @Test
  void aSignedEntryThatWasChangedAnywhereFailsItsIntegrityCheck() throws IOException {
    Codec codec = Codec.signed(KEYS);
    byte[] entry = codec.encode("k", sample());
    for (int i = 0; i < entry.length; i++) {
      byte[] changed = entry.clone();
      changed[i] ^= 0x01;
      assertThatThrownBy(() -> codec.decode("k", changed))
          .as("flip at %d", i)
          .isInstanceOf(IntegrityException.class);
    }
  }

  @Test
  void aSignedEntryMovedUnderAnotherKeyFails() throws IOException {
    Codec codec = Codec.signed(KEYS);
    byte[] entry = codec.encode("k1", sample());
    assertThatThrownBy(() -> codec.decode("k2", entry))
        .isInstanceOf(IntegrityException.class)
        .hasMessage("cache entry k2 failed its integrity check: its signature does not match");
  }

  @Test
  void anEntryOfAnotherKeyNamesOnlyTheKeyIdentifier() throws IOException {
    byte[] entry = Codec.signed(OTHER).encode("k", sample());
    assertThatThrownBy(() -> Codec.signed(KEYS).decode("k", entry))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("a key this cache does not hold (id " + OTHER.ids().get(0) + ")");
    assertThatThrownBy(() -> Codec.signed(KEYS).decode("k", "exploit!".getBytes(UTF_8)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("not a signed entry");
  }

  @Test
  void rotatedKeysStillVerifyWhileTheNewestSigns() throws IOException {
    SecretKeys before = SecretKeys.of(bytes(2));
    byte[] old = Codec.signed(before).encode("k", sample());
    assertThat(Codec.signed(KEYS).decode("k", old)).isEqualTo(sample());
    byte[] fresh = Codec.signed(KEYS).encode("k", sample());
    assertThatThrownBy(() -> Codec.signed(before).decode("k", fresh))
        .isInstanceOf(IntegrityException.class);
    byte[] encryptedOld = Codec.encrypted(before).encode("k", sample());
    assertThat(Codec.encrypted(KEYS).decode("k", encryptedOld)).isEqualTo(sample());
  }

  @Test
  void anEncryptedEntryRevealsNothingAndNeverRepeats() throws IOException {
    Codec codec = Codec.pipeline(Codec.binary(), CodecStage.encrypted(KEYS));
    byte[] one = codec.encode("k", sample());
    byte[] two = codec.encode("k", sample());
    assertThat(one).isNotEqualTo(two);
    String text = new String(one, ISO_8859_1);
    assertThat(text)
        .doesNotContain("example.com")
        .doesNotContain("text/plain")
        .doesNotContain("secret body")
        .doesNotContain("Accept");
  }

  @Test
  void anEncryptedEntryChangedOrMovedFails() throws IOException {
    Codec codec = Codec.encrypted(KEYS);
    byte[] entry = codec.encode("k", sample());
    assertThatThrownBy(() -> codec.decode("other", entry))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("was changed");
    for (int i = 0; i < entry.length; i += 7) {
      byte[] changed = entry.clone();
      changed[i] ^= (byte) 0x80;
      assertThatThrownBy(() -> codec.decode("k", changed)).isInstanceOf(IntegrityException.class);
    }
    assertThatThrownBy(() -> Codec.encrypted(OTHER).decode("k", entry))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("does not hold");
  }

  @Test
  void compressionIsUsedOnlyWhereItPays() throws IOException {
    CodecStage deflate = CodecStage.compressed();
    byte[] text = "x".repeat(10_000).getBytes(UTF_8);
    byte[] random = new byte[10_000];
    new Random(1).nextBytes(random);
    assertThat(deflate.encode("k", text).length).isLessThan(200);
    assertThat(deflate.encode("k", text)[4]).isEqualTo((byte) 1);
    assertThat(deflate.encode("k", random)[4]).isEqualTo((byte) 0);
    assertThat(deflate.encode("k", "short".getBytes(UTF_8))[4]).isEqualTo((byte) 0);
    assertThat(deflate.decode("k", deflate.encode("k", random))).isEqualTo(random);
  }

  private static byte[] deflated(byte[] data, int declared) {
    Deflater deflater = new Deflater();
    deflater.setInput(data);
    deflater.finish();
    byte[] out = new byte[data.length + 64];
    int n = deflater.deflate(out);
    deflater.end();
    byte[] entry = new byte[9 + n];
    entry[0] = 'h';
    entry[1] = 'c';
    entry[2] = 'z';
    entry[3] = 1;
    entry[4] = 1;
    entry[5] = (byte) (declared >>> 24);
    entry[6] = (byte) (declared >>> 16);
    entry[7] = (byte) (declared >>> 8);
    entry[8] = (byte) declared;
    System.arraycopy(out, 0, entry, 9, n);
    return entry;
  }

  @Test
  void aCompressedEntryThatInflatesPastItsLengthIsRefused() {
    byte[] bomb = deflated(new byte[50_000_000], 1000);
    assertThatThrownBy(() -> CodecStage.compressed().decode("k", bomb))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("past its declared length");
    assertThatThrownBy(() -> CodecStage.compressed().decode("k", deflated(new byte[10], -5)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("absurd length");
    assertThatThrownBy(
            () -> CodecStage.compressed().decode("k", deflated(new byte[10], Integer.MAX_VALUE)))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> CodecStage.compressed().decode("k", deflated(new byte[10], 20)))
        .isInstanceOf(CodecException.class);
  }

  static Stream<Arguments> mutations() {
    List<Arguments> cases = new ArrayList<>();
    List<Codec> all = codecs().toList();
    for (int c = 0; c < all.size(); c++) {
      for (int seed = 0; seed < 400; seed++) {
        cases.add(Arguments.of(all.get(c), 7919L * c + seed));
      }
    }
    return cases.stream();
  }

  /**
   * Random bytes, truncations, bit flips and absurd lengths end in a CodecException (or its
   * IntegrityException), never in another exception, an Error or a large allocation.
   */
  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("mutations")
  void aMutatedEntryFailsCleanly(Codec codec, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] body = new byte[random.nextInt(3000)];
    random.nextBytes(body);
    byte[] entry = codec.encode("k", BinaryCodecTest.sample(body, Instant.EPOCH));
    byte[] mutated;
    switch (random.nextInt(5)) {
      case 0:
        mutated = new byte[random.nextInt(200)];
        random.nextBytes(mutated);
        break;
      case 1:
        mutated = Arrays.copyOf(entry, random.nextInt(entry.length));
        break;
      case 2:
        mutated = entry.clone();
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
          mutated[random.nextInt(mutated.length)] ^= (byte) (1 << random.nextInt(8));
        }
        break;
      case 3:
        mutated = entry.clone();
        // An absurd length where one is likely to be read.
        int at = random.nextInt(Math.min(mutated.length, 64));
        for (int i = at; i < Math.min(mutated.length, at + 5); i++) {
          mutated[i] = (byte) 0xFF;
        }
        break;
      default:
        mutated = new byte[entry.length + 1 + random.nextInt(10)];
        System.arraycopy(entry, 0, mutated, 0, entry.length);
        break;
    }
    try {
      CachedResponse decoded = codec.decode("k", mutated);
      // A mutation that keeps a valid entry (a flip in a header value, say) is possible only
      // where nothing authenticates the entry.
      assertThat(codec.authenticates()).as("an authenticated codec accepted a change").isFalse();
      assertThat(decoded).isNotNull();
    } catch (CodecException expected) {
      // the documented failure
    } catch (IOException | RuntimeException | Error e) {
      fail("escaped: " + e, e);
    }
  }
}
