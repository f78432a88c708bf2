package dev.httpcache.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

final class BinaryCodecTest {
  private final Codec codec = Codec.binary();

  static CachedResponse sample(byte[] body, Instant expires) {
    CachedRequest request =
        CachedRequest.of(
            "POST",
            URI.create("https://example.com/api?q=caf%C3%A9"),
            CachedRequest.headers(
                Map.of("Accept", List.of("a/b", "c/d"), "X-Unicode", List.of("\u00e9\u4e2d"))),
            "{\"a\":1}".getBytes(UTF_8));
    return CachedResponse.builder()
        .statusCode(203)
        .reason("Non-Authoritative Information")
        .headers(
            CachedRequest.headers(
                Map.of("Content-Type", List.of("text/plain"), "Set-Cookie", List.of("a=1", "b=2"))))
        .body(body)
        .uri(URI.create("https://example.com/final"))
        .request(request)
        .createdAt(Instant.parse("2026-01-02T03:04:05.123456789Z"))
        .expires(expires)
        .build();
  }

  @Test
  void roundTripsEveryField() throws IOException {
    CachedResponse response =
        sample("hello".getBytes(UTF_8), Instant.parse("2026-02-01T00:00:00Z"));
    CachedResponse decoded = codec.decode("k", codec.encode("k", response));
    assertThat(decoded).isEqualTo(response);
    assertThat(decoded.headers().allValues("Set-Cookie")).containsExactly("a=1", "b=2");
    assertThat(decoded.request().headers().allValues("Accept")).containsExactly("a/b", "c/d");
  }

  @Test
  void roundTripsNoExpiryAndEmptyAndLargeBodies() throws IOException {
    CachedResponse never = sample(new byte[0], Instant.EPOCH).toBuilder().expires(null).build();
    assertThat(codec.decode("k", codec.encode("k", never))).isEqualTo(never);
    byte[] big = new byte[3_000_000];
    new Random(1).nextBytes(big);
    CachedResponse large = sample(big, Instant.EPOCH);
    assertThat(codec.decode("k", codec.encode("k", large)).body()).isEqualTo(big);
  }

  @Test
  void startsWithMagicBytesAndVersion() throws IOException {
    byte[] bytes = codec.encode("k", sample(new byte[0], Instant.EPOCH));
    assertThat(Arrays.copyOf(bytes, 4)).containsExactly('h', 'c', 'b', 2);
  }

  @Test
  void rejectsOtherFormatsAndVersions() throws IOException {
    assertThatThrownBy(() -> codec.decode("k", "exploit!".getBytes(UTF_8)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("magic");
    byte[] bytes = codec.encode("k", sample(new byte[0], Instant.EPOCH));
    bytes[3] = 9;
    assertThatThrownBy(() -> codec.decode("k", bytes))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("version 9");
    assertThatThrownBy(() -> codec.decode("k", new byte[0])).isInstanceOf(CodecException.class);
  }

  @Test
  void rejectsEveryTruncation() throws IOException {
    byte[] bytes = codec.encode("k", sample("body".getBytes(UTF_8), Instant.EPOCH));
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = Arrays.copyOf(bytes, n);
      assertThatThrownBy(() -> codec.decode("k", cut)).isInstanceOf(CodecException.class);
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> codec.decode("k", longer))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void rejectsAHugeDeclaredLengthWithoutAllocatingIt() {
    byte[] hostile = {
      'h',
      'c',
      'b',
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      (byte) 200,
      1,
      (byte) 0xFF,
      (byte) 0xFF,
      (byte) 0xFF,
      (byte) 0xFF,
      7
    };
    assertThatThrownBy(() -> codec.decode("k", hostile)).isInstanceOf(CodecException.class);
  }

  static Stream<byte[]> mutations() throws IOException {
    byte[] valid = Codec.binary().encode("k", sample("some body".getBytes(UTF_8), Instant.EPOCH));
    Random random = new Random(7);
    return IntStream.range(0, 3000)
        .mapToObj(
            i -> {
              byte[] copy = valid.clone();
              int flips = 1 + random.nextInt(4);
              for (int f = 0; f < flips; f++) {
                copy[4 + random.nextInt(copy.length - 4)] = (byte) random.nextInt(256);
              }
              return copy;
            });
  }

  @ParameterizedTest
  @MethodSource("mutations")
  void corruptedEntriesFailOnlyWithCodecException(byte[] corrupted) {
    try {
      codec.decode("k", corrupted);
    } catch (CodecException expected) {
      assertThat(expected).hasMessageNotContaining("some body");
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("decoder threw " + e, e);
    }
  }

  static CachedResponse typical() {
    URI uri = URI.create("http://127.0.0.1:41234/hit/1024");
    return CachedResponse.builder()
        .statusCode(200)
        .headers(
            CachedRequest.headers(
                Map.of(
                    "cache-control", List.of("max-age=86400"),
                    "content-type", List.of("application/octet-stream"),
                    "content-length", List.of("1024"),
                    "date", List.of("Thu, 03 Dec 2026 12:00:00 GMT"),
                    "etag", List.of("\"v1\""),
                    "last-modified", List.of("Tue, 01 Dec 2026 12:00:00 GMT"))))
        .body(new byte[1024])
        .uri(uri)
        .request(CachedRequest.get(uri))
        .createdAt(Instant.parse("2026-12-03T12:00:00.123456789Z"))
        .expires(Instant.parse("2026-12-04T12:00:00Z"))
        .build();
  }

  @Test
  void versionTwoWritesATypicalEntryInLessThanHalfTheBytesAroundItsBody() throws IOException {
    CachedResponse response = typical();
    byte[] bytes = codec.encode("k", response);

    assertThat(codec.decode("k", bytes)).isEqualTo(response);
    assertThat(codec.decode("k", bytes).headers().map()).isEqualTo(response.headers().map());
    // Version 1 spent 282 bytes on this entry's metadata (measured when version 2 was made).
    assertThat(bytes.length - 1024).isLessThan(141);
  }

  @Test
  void datesThatWouldNotFormatBackAreKeptAsText() throws IOException {
    List<String> dates =
        List.of(
            "Thu, 3 Dec 2026 12:00:00 GMT", // one-digit day
            "thu, 03 Dec 2026 12:00:00 GMT", // lower-case day name
            "Fri, 03 Dec 2026 12:00:00 GMT", // wrong day of week
            "Thursday, 03-Dec-26 12:00:00 GMT", // RFC 850
            "Thu Dec  3 12:00:00 2026", // asctime
            "0",
            "",
            "Thu, 03 Dec 2026 12:00:00 GMT ");
    for (String date : dates) {
      CachedResponse response =
          typical().toBuilder()
              .headers(
                  CachedRequest.headers(
                      Map.of("date", List.of(date), "Last-Modified", List.of(date))))
              .build();
      CachedResponse decoded = codec.decode("k", codec.encode("k", response));
      assertThat(decoded.headers().allValues("date"))
          .as(date)
          .isEqualTo(response.headers().allValues("date"));
      assertThat(decoded.headers().map()).as(date).isEqualTo(response.headers().map());
    }
    assertThat(Fixdates.seconds("Thu, 03 Dec 2026 12:00:00 GMT"))
        .isEqualTo(Instant.parse("2026-12-03T12:00:00Z").getEpochSecond());
    assertThat(Fixdates.seconds("Fri, 03 Dec 2026 12:00:00 GMT")).isEqualTo(Fixdates.NOT_A_FIXDATE);
  }

  @Test
  void namesKeepTheirCaseAndUnknownNamesTheirText() throws IOException {
    CachedResponse response =
        typical().toBuilder()
            .headers(
                CachedRequest.headers(
                    Map.of(
                        "Content-Type", List.of("text/plain"),
                        "x-custom-thing", List.of("1", "2"),
                        "etag", List.of("W/\"x\""))))
            .build();
    CachedResponse decoded = codec.decode("k", codec.encode("k", response));
    assertThat(decoded.headers().map().keySet())
        .containsExactlyInAnyOrder("Content-Type", "x-custom-thing", "etag");
    assertThat(decoded.headers().allValues("x-custom-thing")).containsExactly("1", "2");
  }

  @Test
  void aRequestOfAnotherUriAndAnUnusualReasonRoundTrip() throws IOException {
    CachedResponse redirected =
        typical().toBuilder()
            .uri(URI.create("https://example.com/final"))
            .request(CachedRequest.get(URI.create("https://example.com/first")))
            .reason("Fine")
            .build();
    CachedResponse decoded = codec.decode("k", codec.encode("k", redirected));
    assertThat(decoded).isEqualTo(redirected);
    assertThat(decoded.request().uri()).isEqualTo(URI.create("https://example.com/first"));
    assertThat(decoded.reason()).isEqualTo("Fine");
  }

  @Test
  void extremeTimesRoundTrip() throws IOException {
    for (Instant t :
        List.of(Instant.MIN, Instant.MAX, Instant.EPOCH, Instant.ofEpochSecond(-1, 1))) {
      CachedResponse response = typical().toBuilder().createdAt(t).expires(t).build();
      assertThat(codec.decode("k", codec.encode("k", response)))
          .as(t.toString())
          .isEqualTo(response);
    }
  }

  @Test
  void readsBothVersionsNamesAndNoOther() {
    assertThat(codec.name()).isEqualTo("binary-v2");
    assertThat(codec.reads("binary-v1")).isTrue();
    assertThat(codec.reads("binary-v2")).isTrue();
    assertThat(codec.reads("binary-v3")).isFalse();
    assertThat(codec.reads("json-v1")).isFalse();
    Codec signed = Codec.signed(SecretKeys.of(SecretKeys.generate()));
    assertThat(signed.reads("binary-v1+hmac-sha256")).isTrue();
    assertThat(signed.reads("binary-v2+hmac-sha256")).isTrue();
    assertThat(signed.reads("binary-v2")).isFalse();
    assertThat(signed.reads("binary-v2+aes-256-gcm")).isFalse();
    assertThat(signed.reads("binary-v2+hmac-sha256+deflate")).isFalse();
  }
}
