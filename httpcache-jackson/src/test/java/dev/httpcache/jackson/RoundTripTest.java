package dev.httpcache.jackson;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.codec.Codec;
import dev.httpcache.codec.CodecException;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class RoundTripTest {

  static CachedResponse roundTrip(Codec codec, CachedResponse response) throws IOException {
    CachedResponse decoded = codec.decode("k", codec.encode("k", response));
    assertThat(decoded).isEqualTo(response);
    assertThat(decoded.body()).isEqualTo(response.body());
    assertThat(decoded.request().body()).isEqualTo(response.request().body());
    return decoded;
  }

  static Stream<Arguments> bodies() {
    Random random = new Random(11);
    byte[] binary = new byte[4096];
    random.nextBytes(binary);
    List<Object[]> cases =
        List.of(
            new Object[] {
              "text/plain",
              "hello\nworld\r\n\ttabs, \u00fcn\u00efc\u00f8d\u00e9 \u4e2d\u6587 \ud83c\udf89"
                  .getBytes(UTF_8)
            },
            new Object[] {
              "text/plain",
              "  leading spaces\ntrailing spaces   \n\n\nblank lines\n".getBytes(UTF_8)
            },
            new Object[] {"text/plain", "no newline at the end".getBytes(UTF_8)},
            new Object[] {"text/plain", "ends with newlines\n\n".getBytes(UTF_8)},
            new Object[] {
              "text/plain", "\"quotes\" 'single' \\backslash\\ # hash: colon - dash".getBytes(UTF_8)
            },
            new Object[] {
              "text/plain",
              "controls \u0000\u0001\u0007\u001b\u007f\u0085\u2028\u2029\ufeff end".getBytes(UTF_8)
            },
            new Object[] {"text/plain", "\ufeffbyte order mark first".getBytes(UTF_8)},
            new Object[] {"text/plain", "line\rcarriage\rreturns\r".getBytes(UTF_8)},
            new Object[] {
              "text/html; charset=UTF-8", "<!doctype html>\n<p>Caf\u00e9</p>\n".getBytes(UTF_8)
            },
            new Object[] {
              "application/json",
              "{\"a\":1,\"b\":[true,false,null],\"c\":\"\u00e9\\n\\\"\",\"d\":1.50,\"e\":-0.0,\"f\":1e5,\"g\":1E-7,\"h\":12345678901234567890123}"
                  .getBytes(UTF_8)
            },
            new Object[] {
              "application/json",
              "{\n  \"pretty\": true,\n  \"list\": [\n    1,\n    2\n  ]\n}\n".getBytes(UTF_8)
            },
            new Object[] {
              "application/json", "{\"escaped\":\"\\u00e9\",\"dup\":1,\"dup\":2}".getBytes(UTF_8)
            },
            new Object[] {"application/json", "[]".getBytes(UTF_8)},
            new Object[] {"application/json", "\"just a string\"".getBytes(UTF_8)},
            new Object[] {"application/json", "42".getBytes(UTF_8)},
            new Object[] {"application/json", "{\"a\":1} trailing".getBytes(UTF_8)},
            new Object[] {"application/json", "not json at all".getBytes(UTF_8)},
            new Object[] {
              "application/problem+json",
              "{\"type\":\"about:blank\",\"status\":404}".getBytes(UTF_8)
            },
            new Object[] {
              "application/json",
              "{\"yes\":\"yes\",\"no\":\"no\",\"num\":\"123\",\"nul\":\"null\",\"t\":\"true\"}"
                  .getBytes(UTF_8)
            },
            new Object[] {
              "application/xml", "<?xml version=\"1.0\"?>\n<a b=\"c\"/>".getBytes(UTF_8)
            },
            new Object[] {"application/x-www-form-urlencoded", "a=1&b=caf%C3%A9".getBytes(UTF_8)},
            new Object[] {"application/octet-stream", binary},
            new Object[] {"image/png", binary},
            new Object[] {"text/plain", new byte[] {'o', 'k', (byte) 0xC3, 0x28, (byte) 0xFF}},
            new Object[] {"text/plain", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}},
            new Object[] {"text/plain; charset=iso-8859-1", "caf\u00e9".getBytes(ISO_8859_1)},
            new Object[] {"text/plain; charset=iso-8859-1", "plain ascii".getBytes(UTF_8)},
            new Object[] {"", "no content type".getBytes(UTF_8)},
            new Object[] {"text/plain", new byte[0]},
            new Object[] {"", new byte[0]});
    return Samples.codecs()
        .flatMap(codec -> cases.stream().map(c -> Arguments.of(codec, c[0], c[1])));
  }

  @ParameterizedTest
  @MethodSource("bodies")
  void everyBodyReadsBackByteForByte(Codec codec, String contentType, byte[] body)
      throws IOException {
    roundTrip(codec, Samples.response(contentType, body));
  }

  @ParameterizedTest
  @MethodSource("dev.httpcache.jackson.Samples#codecs")
  void largeBodiesReadBack(Codec codec) throws IOException {
    Random random = new Random(3);
    byte[] binary = new byte[5 << 20];
    random.nextBytes(binary);
    roundTrip(codec, Samples.response("application/octet-stream", binary));

    StringBuilder text = new StringBuilder();
    while (text.length() < 3 << 20) {
      text.append("line ").append(text.length()).append(" of a large text body \u00e9\n");
    }
    roundTrip(codec, Samples.response("text/plain", text.toString()));

    StringBuilder json = new StringBuilder("[");
    for (int i = 0; json.length() < 1 << 20; i++) {
      json.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"ok\":true}");
    }
    roundTrip(codec, Samples.response("application/json", json.append(']').toString()));
  }

  @ParameterizedTest
  @MethodSource("dev.httpcache.jackson.Samples#codecs")
  void manyHeadersWithRepeatedValuesReadBackInOrder(Codec codec) throws IOException {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      List<String> values = new ArrayList<>();
      for (int v = 0; v <= i % 4; v++) {
        values.add("value " + v + " of header " + i);
      }
      map.put("X-Header-" + i, values);
    }
    List<String> cookies = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      cookies.add("c" + i + "=v; Path=/");
    }
    map.put("Set-Cookie", cookies);
    CachedResponse response =
        Samples.response("text/plain", "x").toBuilder().headers(CachedRequest.headers(map)).build();
    CachedResponse decoded = roundTrip(codec, response);
    assertThat(decoded.headers().allValues("set-cookie")).isEqualTo(cookies);
    assertThat(decoded.headers().allValues("X-Header-7"))
        .containsExactly(
            "value 0 of header 7",
            "value 1 of header 7",
            "value 2 of header 7",
            "value 3 of header 7");
  }

  @ParameterizedTest
  @MethodSource("dev.httpcache.jackson.Samples#codecs")
  void unicodeInHeadersAndUrlsReadsBack(Codec codec) throws IOException {
    CachedRequest request =
        CachedRequest.of(
            "GET",
            URI.create("https://\u4f8b\u3048.jp/\u30d1\u30b9/caf\u00e9?q=\u00e9&r=%E2%82%AC#frag"),
            Samples.headers(
                "X-Emoji", "\ud83d\ude00 smile", "Accept-Language", "fr-CA, \u4e2d\u6587"),
            new byte[0]);
    CachedResponse response =
        CachedResponse.builder()
            .statusCode(200)
            .reason("\u00c7a va \u2713")
            .headers(
                Samples.headers(
                    "Content-Disposition", "attachment; filename*=UTF-8''caf%C3%A9.txt",
                    "X-Unicode", "\u00e9\u4e2d\u0416\u05d0\ud800\udc00",
                    "X-Quotes", "\"double\" 'single' : # - ? [ ] { } , & * ! | > % @ `"))
            .body("ok".getBytes(UTF_8))
            .uri(URI.create("https://\u4f8b\u3048.jp/\u6700\u7d42"))
            .request(request)
            .createdAt(Samples.CREATED)
            .expires(null)
            .build();
    roundTrip(codec, response);
  }

  @ParameterizedTest
  @MethodSource("dev.httpcache.jackson.Samples#codecs")
  void expiryReadsBackWhetherNeverOrSet(Codec codec) throws IOException {
    CachedResponse base = Samples.response("text/plain", "x");
    assertThat(roundTrip(codec, base.toBuilder().expires(null).build()).expires()).isEmpty();
    assertThat(roundTrip(codec, base).expires()).contains(Samples.EXPIRES);
    for (Instant t :
        List.of(
            Instant.EPOCH,
            Instant.parse("+12345-06-07T08:09:10.5Z"),
            Instant.parse("-0001-01-01T00:00:00Z"),
            Instant.MAX,
            Instant.MIN)) {
      assertThat(roundTrip(codec, base.toBuilder().createdAt(t).expires(t).build()).createdAt())
          .isEqualTo(t);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.httpcache.jackson.Samples#codecs")
  void requestBodiesReadBack(Codec codec) throws IOException {
    Random random = new Random(5);
    byte[] binary = new byte[777];
    random.nextBytes(binary);
    String[][] requests = {
      {"application/x-www-form-urlencoded", "a=1&b=two&c=caf%C3%A9"},
      {"application/json", "{\"query\":\"{ items { id } }\"}"},
      {"application/json", "{ \"spaced\" : true }"},
      {"text/plain", "plain request"},
    };
    for (String[] r : requests) {
      CachedRequest request =
          CachedRequest.of(
              "post",
              URI.create("https://example.com/submit"),
              Samples.headers("Content-Type", r[0]),
              r[1].getBytes(UTF_8));
      CachedResponse response =
          Samples.response("text/plain", "done").toBuilder().request(request).build();
      assertThat(roundTrip(codec, response).request().method()).isEqualTo("POST");
    }
    CachedRequest binaryRequest =
        CachedRequest.of(
            "PUT",
            URI.create("https://example.com/upload"),
            Samples.headers("Content-Type", "application/octet-stream"),
            binary);
    roundTrip(codec, Samples.response("", binary).toBuilder().request(binaryRequest).build());
  }

  @ParameterizedTest
  @MethodSource("dev.httpcache.jackson.Samples#codecs")
  void statusCodesAndReasonsAtTheEdgesReadBack(Codec codec) throws IOException {
    for (int status : new int[] {100, 204, 304, 418, 599, 999}) {
      CachedResponse response =
          Samples.response("text/plain", "").toBuilder().statusCode(status).reason("").build();
      assertThat(roundTrip(codec, response).statusCode()).isEqualTo(status);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.httpcache.jackson.Samples#codecs")
  void namesTheCodecByFormatAndVersion(Codec codec) {
    assertThat(codec.name()).matches("(json|yaml|cbor)-v1");
    assertThat(codec).hasToString(codec.name());
  }

  @Test
  void yamlStoresTextWithAVeryLongLineAsBase64AndStillReadsItBack() throws IOException {
    CachedResponse minified = Samples.response("application/javascript", "var a=1;".repeat(20_000));
    CachedResponse decoded = roundTrip(JacksonCodecs.yaml(), minified);
    String yaml = new String(JacksonCodecs.yaml().encode("k", minified), UTF_8);
    assertThat(yaml).contains("  base64: |-\n").doesNotContain("var a=1;");
    assertThat(yaml.lines()).allMatch(line -> line.length() <= Limits.MAX_YAML_LINE_BYTES);
    assertThat(decoded.body()).isEqualTo(minified.body());
    assertThat(new String(JacksonCodecs.json().encode("k", minified), UTF_8)).contains("var a=1;");
  }

  @Test
  void whatAFormatCannotCarryIsRefusedWhenEncodingNotStoredWrong() {
    CachedResponse longHeader =
        Samples.response("text/plain", "x").toBuilder()
            .headers(Samples.headers("X-Long", "v".repeat(100_000)))
            .build();
    assertThatThrownBy(() -> JacksonCodecs.yaml().encode("k", longHeader))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("yaml-v1 cannot store")
        .hasMessageContaining("a line is longer than");
    CachedResponse hugeBody =
        Samples.response("application/octet-stream", new byte[Limits.MAX_BODY_BYTES + 1]);
    Samples.codecs()
        .forEach(
            codec ->
                assertThatThrownBy(() -> codec.encode("k", hugeBody))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("stores bodies up to 32 MiB"));
  }

  @Test
  void eachCodecRefusesTheOthersEntriesButYamlReadsJson() throws IOException {
    List<Codec> all =
        List.of(Codec.binary(), JacksonCodecs.json(), JacksonCodecs.yaml(), JacksonCodecs.cbor());
    CachedResponse golden = Samples.golden();
    for (Codec writer : all) {
      byte[] entry = writer.encode("k", golden);
      for (Codec reader : all) {
        if (reader == writer) {
          continue;
        }
        if (writer == JacksonCodecs.json() && reader == JacksonCodecs.yaml()) {
          // YAML is a superset of JSON; the entry reads back whole.
          assertThat(reader.decode("k", entry)).isEqualTo(golden);
        } else {
          assertThatThrownBy(() -> reader.decode("k", entry)).isInstanceOf(CodecException.class);
        }
      }
    }
  }

  @Test
  void theFactoriesReturnOneInstanceEach() {
    assertThat(JacksonCodecs.json()).isSameAs(JacksonCodecs.json());
    assertThat(JacksonCodecs.json().name()).isEqualTo("json-v1");
    assertThat(JacksonCodecs.yaml().name()).isEqualTo("yaml-v1");
    assertThat(JacksonCodecs.cbor().name()).isEqualTo("cbor-v1");
  }

  /** Random responses: random types, random text (any code point), random JSON, random bytes. */
  static Stream<Arguments> randomResponses() {
    Random random = new Random(2024);
    List<Codec> codecs = Samples.codecs().toList();
    String[] types = {
      "text/plain",
      "application/json",
      "text/html",
      "application/octet-stream",
      "",
      "application/vnd.api+json",
      "text/csv; charset=utf-8"
    };
    return IntStream.range(0, 600)
        .mapToObj(
            i -> {
              String type = types[random.nextInt(types.length)];
              byte[] body =
                  switch (random.nextInt(3)) {
                    case 0 -> randomText(random, random.nextInt(200)).getBytes(UTF_8);
                    case 1 -> randomJson(random, 0).getBytes(UTF_8);
                    default -> {
                      byte[] b = new byte[random.nextInt(300)];
                      random.nextBytes(b);
                      yield b;
                    }
                  };
              Map<String, List<String>> headers = new LinkedHashMap<>();
              if (!type.isEmpty()) {
                headers.put("Content-Type", List.of(type));
              }
              for (int h = random.nextInt(6); h > 0; h--) {
                headers.put(
                    "X-" + h + randomText(random, 5).replaceAll("[^A-Za-z]", ""),
                    List.of(randomText(random, 20), randomText(random, 3)));
              }
              CachedResponse response =
                  Samples.response(type, body).toBuilder()
                      .headers(CachedRequest.headers(headers))
                      .reason(randomText(random, 10))
                      .build();
              return Arguments.of(codecs.get(i % codecs.size()), response);
            });
  }

  @ParameterizedTest
  @MethodSource("randomResponses")
  void randomResponsesReadBackEqual(Codec codec, CachedResponse response) throws IOException {
    roundTrip(codec, response);
  }

  /** Random text over all of Unicode except lone surrogates, with YAML-significant characters. */
  static String randomText(Random random, int length) {
    String specials = "\n\r\t \"'\\:#-?[]{},&*!|>%@`~\u0000\u0085\u00a0\u2028\ufeff";
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(4)) {
        case 0 -> out.append(specials.charAt(random.nextInt(specials.length())));
        case 1 -> out.append((char) (' ' + random.nextInt(95)));
        default -> {
          int cp;
          do {
            cp = random.nextInt(Character.MAX_CODE_POINT + 1);
          } while (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
          out.appendCodePoint(cp);
        }
      }
    }
    return out.toString();
  }

  /** A random JSON value, compact most of the time. */
  static String randomJson(Random random, int depth) {
    int kind = depth > 4 ? 3 + random.nextInt(4) : random.nextInt(7);
    String space = random.nextInt(10) == 0 ? " " : "";
    return switch (kind) {
      case 0, 1 -> {
        StringBuilder out = new StringBuilder("{");
        for (int i = random.nextInt(4); i > 0; i--) {
          out.append(jsonString(random)).append(':').append(space);
          out.append(randomJson(random, depth + 1)).append(i > 1 ? "," : "");
        }
        yield out.append('}').toString();
      }
      case 2 -> {
        StringBuilder out = new StringBuilder("[");
        for (int i = random.nextInt(4); i > 0; i--) {
          out.append(randomJson(random, depth + 1)).append(i > 1 ? "," + space : "");
        }
        yield out.append(']').toString();
      }
      case 3 -> jsonString(random);
      case 4 -> {
        String[] numbers = {"0", "-1", "3.25", "1e5", "-2.5E-3", "1.0", "123456789012345678901"};
        yield numbers[random.nextInt(numbers.length)];
      }
      case 5 -> random.nextBoolean() ? "true" : "false";
      default -> "null";
    };
  }

  private static String jsonString(Random random) {
    String raw = randomText(random, random.nextInt(8));
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
