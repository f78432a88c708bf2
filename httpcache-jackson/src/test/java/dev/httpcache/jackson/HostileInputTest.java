package dev.httpcache.jackson;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.httpcache.codec.Codec;
import dev.httpcache.codec.CodecException;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decoders face hostile bytes: whatever they are given, they answer with an equal response or a
 * {@link CodecException} with a short message, never another exception or an Error, and they never
 * allocate much more than the input.
 */
final class HostileInputTest {
  /** Planted in the valid entry: no error message may ever quote it whole. */
  private static final String SECRET = "s3cr3t-" + "0123456789abcdefghijklmnopqrstuvwxyz";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper CBOR = new CBORMapper();

  static CachedResponse valid() {
    CachedRequest request =
        CachedRequest.of(
            "POST",
            URI.create("https://example.com/api?token=" + SECRET),
            Samples.headers("Content-Type", "application/json", "X-Secret", SECRET),
            ("{\"secret\":\"" + SECRET + "\",\"n\":[1,2.5,true,null]}").getBytes(UTF_8));
    return CachedResponse.builder()
        .statusCode(200)
        .headers(Samples.headers("Content-Type", "text/plain", "Set-Cookie", "id=" + SECRET))
        .body(("first line " + SECRET + "\nsecond line\n").getBytes(UTF_8))
        .request(request)
        .createdAt(Samples.CREATED)
        .expires(Samples.EXPIRES)
        .build();
  }

  static byte[] encodeValid(Codec codec) {
    try {
      return codec.encode("k", valid());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Decodes, expecting a CodecException; returns it after checking its message. */
  static CodecException rejects(Codec codec, byte[] input) {
    try {
      codec.decode("k", input);
    } catch (CodecException e) {
      checkMessage(codec, e);
      return e;
    } catch (Throwable t) {
      throw new AssertionError(codec + " threw " + t, t);
    }
    throw new AssertionError(codec + " accepted a hostile entry");
  }

  /** Decodes: an answer or a CodecException are both fine; nothing else is. */
  static void survives(Codec codec, byte[] input) {
    try {
      codec.decode("k", input);
    } catch (CodecException e) {
      checkMessage(codec, e);
    } catch (Throwable t) {
      throw new AssertionError(codec + " threw " + t, t);
    }
  }

  private static void checkMessage(Codec codec, CodecException e) {
    assertThat(e.getMessage())
        .startsWith(codec.name() + ": ")
        .hasSizeLessThan(300)
        .doesNotContain(SECRET)
        .doesNotContain("\n");
  }

  /** Bytes the current thread allocated while running {@code r}. */
  static long allocatedBy(Runnable r) {
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = bean.getCurrentThreadAllocatedBytes();
    r.run();
    return bean.getCurrentThreadAllocatedBytes() - before;
  }

  /** Rejects {@code input} while allocating at most a few MiB beyond its own size. */
  static CodecException rejectsCheaply(Codec codec, byte[] input) {
    CodecException[] thrown = new CodecException[1];
    long allocated = allocatedBy(() -> thrown[0] = rejects(codec, input));
    assertThat(allocated).as("bytes allocated").isLessThan(8L * input.length + (8 << 20));
    return thrown[0];
  }

  // ---- Seeded fuzzing ----

  static Stream<Arguments> randomBytes() {
    Random random = new Random(42);
    return Samples.codecs()
        .flatMap(
            codec -> {
              byte[] prefix = Arrays.copyOf(encodeValid(codec), 40);
              return IntStream.range(0, 600)
                  .mapToObj(
                      i -> {
                        byte[] b = new byte[random.nextInt(1200)];
                        random.nextBytes(b);
                        if (i % 2 == 1) {
                          // Half start like a real entry, to get past the first checks.
                          System.arraycopy(prefix, 0, b, 0, Math.min(prefix.length, b.length));
                        }
                        return Arguments.of(codec, b);
                      });
            });
  }

  @ParameterizedTest
  @MethodSource("randomBytes")
  void randomBytesFailOnlyWithCodecException(Codec codec, byte[] bytes) {
    survives(codec, bytes);
  }

  static Stream<Arguments> truncations() {
    return Samples.codecs()
        .flatMap(
            codec -> {
              byte[] valid = encodeValid(codec);
              return IntStream.range(0, valid.length)
                  .mapToObj(n -> Arguments.of(codec, Arrays.copyOf(valid, n)));
            });
  }

  @ParameterizedTest
  @MethodSource("truncations")
  void everyTruncationFailsCleanlyOrLosesOnlyTrailingWhitespace(Codec codec, byte[] cut) {
    try {
      assertThat(codec.decode("k", cut)).isEqualTo(valid());
    } catch (CodecException e) {
      checkMessage(codec, e);
    } catch (Throwable t) {
      throw new AssertionError(codec + " threw " + t, t);
    }
  }

  static Stream<Arguments> bitFlips() {
    Random random = new Random(7);
    return Samples.codecs()
        .flatMap(
            codec -> {
              byte[] valid = encodeValid(codec);
              return IntStream.range(0, 1000)
                  .mapToObj(
                      i -> {
                        byte[] copy = valid.clone();
                        for (int f = 1 + random.nextInt(4); f > 0; f--) {
                          int at = random.nextInt(copy.length);
                          copy[at] =
                              random.nextBoolean()
                                  ? (byte) (copy[at] ^ (1 << random.nextInt(8)))
                                  : (byte) random.nextInt(256);
                        }
                        return Arguments.of(codec, copy);
                      });
            });
  }

  @ParameterizedTest
  @MethodSource("bitFlips")
  void corruptedEntriesFailOnlyWithCodecException(Codec codec, byte[] corrupted) {
    survives(codec, corrupted);
  }

  // ---- Structural mutations of a valid document, in each format ----

  private static ObjectMapper mapper(Codec codec) {
    return switch (codec.name()) {
      case "json-v1" -> JSON;
      case "yaml-v1" -> YAML;
      default -> CBOR;
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> tree(Codec codec) throws IOException {
    return mapper(codec).readValue(encodeValid(codec), LinkedHashMap.class);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> at(Map<String, Object> tree, String key) {
    return (Map<String, Object>) Objects.requireNonNull(tree.get(key), key);
  }

  private static Map<String, Object> reordered(Map<String, Object> tree, String first) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(first, tree.get(first));
    out.putAll(tree);
    return out;
  }

  /** Separates alternative messages: formats may find the same fault at different places. */
  private static final String OR = " | ";

  record Mutation(String description, Consumer<Map<String, Object>> change, String message) {
    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Arguments> mutations() {
    List<Mutation> all = new ArrayList<>();
    all.add(new Mutation("no format", t -> t.remove("format"), "first field must be \"format\""));
    all.add(new Mutation("other format", t -> t.put("format", "zip"), "format is not"));
    all.add(
        new Mutation(
            "format not first",
            t -> {
              Map<String, Object> r = reordered(t, "status");
              t.clear();
              t.putAll(r);
            },
            "first field must be \"format\""));
    all.add(
        new Mutation(
            "version 2", t -> t.put("version", 2), "unsupported httpcache-entry version 2"));
    all.add(new Mutation("version 0", t -> t.put("version", 0), "version 0"));
    all.add(
        new Mutation(
            "version as string", t -> t.put("version", "1"), "version must be an integer"));
    all.add(
        new Mutation(
            "version huge",
            t -> t.put("version", new java.math.BigInteger("99999999999999999999999")),
            "version is out of range"));
    all.add(
        new Mutation("no version", t -> t.remove("version"), "second field must be \"version\""));
    all.add(
        new Mutation(
            "status 99", t -> t.put("status", 99), "status code out of range 100..999: 99"));
    all.add(new Mutation("status 1000", t -> t.put("status", 1000), "out of range 100..999: 1000"));
    all.add(new Mutation("status negative", t -> t.put("status", -200), "out of range"));
    all.add(
        new Mutation("status long", t -> t.put("status", 2147483848L), "status is out of range"));
    all.add(
        new Mutation(
            "status bigint",
            t -> t.put("status", new java.math.BigInteger("1" + "0".repeat(60))),
            "status is out of range"));
    all.add(new Mutation("status float", t -> t.put("status", 200.0), "status must be an integer"));
    all.add(
        new Mutation(
            "status string",
            t -> t.put("status", "200"),
            "status must be an integer, not a string"));
    all.add(
        new Mutation(
            "status null", t -> t.put("status", null), "status must be an integer, not null"));
    all.add(new Mutation("no status", t -> t.remove("status"), "missing field 'status'"));
    all.add(new Mutation("reason number", t -> t.put("reason", 5), "reason must be a string"));
    all.add(
        new Mutation(
            "reason too long",
            t -> t.put("reason", "r".repeat((1 << 20) + 1)),
            "reason is longer than" + OR + "a line is longer than"));
    all.add(new Mutation("no uri", t -> t.remove("uri"), "missing field 'uri'"));
    all.add(
        new Mutation(
            "uri with a space",
            t -> t.put("uri", "https://exa mple.com/"),
            "uri is not a valid URI"));
    all.add(
        new Mutation(
            "uri relative", t -> t.put("uri", "/relative/path"), "uri is not an absolute URI"));
    all.add(new Mutation("uri empty", t -> t.put("uri", ""), "uri is not an absolute URI"));
    all.add(
        new Mutation(
            "uri broken host", t -> t.put("uri", "http://[::1/"), "uri is not a valid URI"));
    all.add(
        new Mutation(
            "createdAt words",
            t -> t.put("createdAt", "yesterday"),
            "createdAt is not an ISO-8601 instant"));
    all.add(
        new Mutation(
            "createdAt month 13",
            t -> t.put("createdAt", "2026-13-01T00:00:00Z"),
            "createdAt is not an ISO-8601 instant"));
    all.add(
        new Mutation(
            "createdAt number",
            t -> t.put("createdAt", 1700000000),
            "createdAt must be an ISO-8601 instant string"));
    all.add(
        new Mutation(
            "createdAt very long",
            t -> t.put("createdAt", "2".repeat(10_000)),
            "createdAt is not an ISO-8601 instant"));
    all.add(
        new Mutation(
            "expires boolean",
            t -> t.put("expires", true),
            "expires must be an ISO-8601 instant string"));
    all.add(new Mutation("no expires", t -> t.remove("expires"), "missing field 'expires'"));
    all.add(
        new Mutation(
            "headers array",
            t -> t.put("headers", List.of("a")),
            "headers must be an object, not an array"));
    all.add(
        new Mutation(
            "header value not a list",
            t -> at(t, "headers").put("X-A", "b"),
            "headers values must be an array, not a string"));
    all.add(
        new Mutation(
            "header value a number",
            t -> at(t, "headers").put("X-A", List.of(1)),
            "headers values must be strings, not a number"));
    all.add(
        new Mutation(
            "header value null",
            t -> at(t, "headers").put("X-A", Arrays.asList((Object) null)),
            "not null"));
    all.add(
        new Mutation(
            "headers differing in case",
            t -> {
              at(t, "headers").put("x-a", List.of("1"));
              at(t, "headers").put("X-A", List.of("2"));
            },
            "invalid headers"));
    all.add(
        new Mutation(
            "header value too long",
            t -> at(t, "headers").put("X-A", List.of("v".repeat((1 << 20) + 1))),
            "header value in headers is too long" + OR + "a line is longer than"));
    all.add(
        new Mutation(
            "too many header values",
            t -> {
              List<String> values = new ArrayList<>();
              for (int i = 0; i < 10_001; i++) {
                values.add("v");
              }
              at(t, "headers").put("X-A", values);
            },
            "more than 10000 header values"));
    all.add(
        new Mutation(
            "header name too long",
            t -> at(t, "headers").put("X".repeat(70_000), List.of("v")),
            "over a limit" + OR + "a line is longer than"));
    all.add(new Mutation("body empty", t -> t.put("body", Map.of()), "body must hold one field"));
    all.add(
        new Mutation(
            "body two forms",
            t -> {
              Map<String, Object> body = new LinkedHashMap<>(at(t, "body"));
              body.put("extra", "x");
              t.put("body", body);
            },
            "body must hold one field"));
    all.add(
        new Mutation("body unknown form", t -> t.put("body", Map.of("zip", "x")), "found 'zip'"));
    all.add(new Mutation("body string", t -> t.put("body", "x"), "body must be an object"));
    all.add(
        new Mutation("body null", t -> t.put("body", null), "body must be an object, not null"));
    all.add(new Mutation("no body", t -> t.remove("body"), "missing field 'body'"));
    all.add(new Mutation("no request", t -> t.remove("request"), "missing field 'request'"));
    all.add(
        new Mutation(
            "request method number",
            t -> at(t, "request").put("method", 1),
            "request.method must be a string"));
    all.add(
        new Mutation(
            "request method blank",
            t -> at(t, "request").put("method", " "),
            "invalid request: method is blank"));
    all.add(
        new Mutation(
            "request uri relative",
            t -> at(t, "request").put("uri", "x"),
            "request.uri is not an absolute URI"));
    all.add(
        new Mutation(
            "request unknown field",
            t -> at(t, "request").put("cookies", "x"),
            "unknown field 'request.cookies'"));
    all.add(
        new Mutation(
            "request no headers",
            t -> at(t, "request").remove("headers"),
            "missing field 'request.headers'"));
    all.add(
        new Mutation(
            "unknown field",
            t -> t.put("evil", Map.of("@class", "java.lang.Runtime")),
            "unknown field 'evil'"));
    all.add(
        new Mutation(
            "unknown field with a long name",
            t -> t.put("e".repeat(1000), 1),
            "unknown field 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee...'"));
    return Samples.codecs().flatMap(codec -> all.stream().map(m -> Arguments.of(codec, m)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("mutations")
  void aMalformedDocumentFailsWithAMessageThatSaysWhatIsWrong(Codec codec, Mutation m)
      throws IOException {
    Map<String, Object> tree = tree(codec);
    m.change().accept(tree);
    byte[] bytes = mapper(codec).writeValueAsBytes(tree);
    String message = String.valueOf(rejects(codec, bytes).getMessage());
    assertThat(Arrays.stream(m.message().split(" \\| ")).anyMatch(message::contains))
        .as("message %s contains one of %s", message, m.message())
        .isTrue();
  }

  static Stream<Arguments> bodyMutations() {
    return Stream.of(
        Arguments.of(
            JacksonCodecs.json(),
            Map.of("base64", "not base64!"),
            "body.base64 is not valid base64"),
        Arguments.of(
            JacksonCodecs.json(), Map.of("base64", "QQ=Q"), "body.base64 is not valid base64"),
        Arguments.of(
            JacksonCodecs.yaml(), Map.of("base64", "QU JD"), "body.base64 is not valid base64"),
        Arguments.of(JacksonCodecs.json(), Map.of("text", 5), "body.text must be a string"),
        Arguments.of(JacksonCodecs.json(), Map.of("bytes", "AA=="), "found 'bytes'"),
        Arguments.of(JacksonCodecs.yaml(), Map.of("bytes", "AA=="), "found 'bytes'"),
        Arguments.of(
            JacksonCodecs.cbor(), Map.of("base64", "AA=="), "body must hold one field: bytes"),
        Arguments.of(JacksonCodecs.cbor(), Map.of("text", "x"), "body must hold one field: bytes"),
        Arguments.of(
            JacksonCodecs.cbor(),
            Map.of("bytes", "not bytes"),
            "body.bytes must be a byte string"));
  }

  @ParameterizedTest
  @MethodSource("bodyMutations")
  void aMalformedBodyFailsWithAMessageThatSaysWhatIsWrong(
      Codec codec, Map<String, Object> body, String message) throws IOException {
    Map<String, Object> tree = tree(codec);
    tree.put("body", body);
    assertThat(rejects(codec, mapper(codec).writeValueAsBytes(tree))).hasMessageContaining(message);
  }

  // ---- Hand-made hostile documents ----

  private static final String JSON_HEAD =
      "{\"format\":\"httpcache-entry\",\"version\":1,\"status\":200,\"reason\":\"OK\","
          + "\"uri\":\"https://a.example/\",\"createdAt\":\"2026-01-01T00:00:00Z\","
          + "\"expires\":null,\"headers\":{},";

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void jsonTooDeeplyNestedIsRefusedAtTheLimit() {
    Codec json = JacksonCodecs.json();
    assertThat(rejectsCheaply(json, utf8("[".repeat(200_000))))
        .hasMessageContaining("the document must be an object, not an array");
    assertThat(rejectsCheaply(json, utf8(JSON_HEAD + "\"body\":{\"json\":" + "[".repeat(200_000))))
        .hasMessageContaining("nesting depth");
    assertThat(
            rejectsCheaply(
                json, utf8(JSON_HEAD + "\"body\":{\"json\":" + "{\"a\":".repeat(100_000))))
        .hasMessageContaining("nesting depth");
    // Just inside the limit still reads.
    String nested = "[".repeat(58) + "]".repeat(58);
    CachedResponse deep = Samples.response("application/json", nested);
    assertThat(decodeEncoded(json, deep).body()).isEqualTo(utf8(nested));
  }

  @Test
  void absurdNumbersAreRefused() {
    Codec json = JacksonCodecs.json();
    String head = "{\"format\":\"httpcache-entry\",\"version\":1,\"status\":";
    assertThat(rejectsCheaply(json, utf8(head + "1" + "0".repeat(100_000) + "}")))
        .hasMessageContaining("Number value length");
    assertThat(rejectsCheaply(json, utf8(head + "1e999999999}")))
        .hasMessageContaining("status must be an integer");
    assertThat(rejectsCheaply(json, utf8(head + "-0}"))).hasMessageContaining("out of range");
    assertThat(rejectsCheaply(json, utf8(head + "NaN}")))
        .hasMessageContaining("malformed document");
    rejectsCheaply(json, utf8(head + "0x1F}"));
    // Inside a JSON body a number is copied as its text, never converted.
    CachedResponse huge = Samples.response("application/json", "[1e99999999999999999999,-0.0]");
    assertThat(decodeEncoded(json, huge)).isEqualTo(huge);
  }

  @Test
  void hugeStringsAreRefusedWithoutQuotingThem() {
    Codec json = JacksonCodecs.json();
    String huge = "x".repeat(3 << 20);
    assertThat(
            rejects(
                json, utf8(JSON_HEAD.replace("\"reason\":\"OK\"", "\"reason\":\"" + huge + "\""))))
        .hasMessageContaining("reason is longer than 1048576 characters");
    assertThat(rejects(json, utf8(JSON_HEAD + "\"" + huge + "\":1}")))
        .hasMessageContaining("over a limit");
    assertThat(rejects(json, utf8("{\"format\":\"" + huge + "\"}")))
        .hasMessageContaining("format is not");
    assertThat(rejects(json, utf8("{\"" + huge))).hasMessageNotContaining("xxxxxxxxxxxxxxxxx");
  }

  @Test
  void anEntryOverTheSizeLimitIsRefusedBeforeParsing() {
    byte[] big = new byte[Limits.MAX_ENTRY_BYTES + 1];
    Samples.codecs()
        .forEach(codec -> assertThat(rejects(codec, big)).hasMessageContaining("over the limit"));
  }

  @Test
  void jsonOddsAndEndsAreRefused() {
    Codec json = JacksonCodecs.json();
    byte[] valid = encodeValid(json);
    assertThat(rejects(json, new byte[0])).hasMessageContaining("truncated");
    assertThat(rejects(json, utf8("   \n"))).hasMessageContaining("truncated");
    assertThat(rejects(json, utf8("null")))
        .hasMessageContaining("the document must be an object, not null");
    assertThat(rejects(json, utf8("[]"))).hasMessageContaining("not an array");
    assertThat(rejects(json, utf8("{}"))).hasMessageContaining("first field must be \"format\"");
    byte[] twice = new byte[valid.length * 2];
    System.arraycopy(valid, 0, twice, 0, valid.length);
    System.arraycopy(valid, 0, twice, valid.length, valid.length);
    assertThat(rejects(json, twice)).hasMessageContaining("content after the end of the entry");
    String text = new String(valid, UTF_8);
    assertThat(
            rejects(
                json, utf8(text.replace("\"status\": 200,", "\"status\": 200, \"status\": 201,"))))
        .hasMessageContaining("duplicate field 'status'");
    assertThat(
            rejects(json, utf8(text.replace("\"status\": 200,", "\"status\": 200, // comment\n"))))
        .hasMessageContaining("malformed document at line");
    assertThat(rejects(json, utf8(text.replace("first line", "\\ud800 first line"))))
        .hasMessageContaining("body.text is not valid Unicode");
    byte[] badUtf8 = valid.clone();
    int at = text.indexOf("first line");
    badUtf8[at] = (byte) 0xC3;
    badUtf8[at + 1] = (byte) 0x28;
    assertThat(rejects(json, badUtf8)).hasMessageContaining("malformed document");
  }

  @Test
  void yamlAliasBombsAreRefusedBeforeAnyExpansion() {
    Codec yaml = JacksonCodecs.yaml();
    StringBuilder bomb = new StringBuilder("format: httpcache-entry\nversion: 1\nstatus: 200\n");
    bomb.append("body:\n  json:\n");
    bomb.append(
        "    a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'z'; c++) {
      char p = (char) (c - 1);
      bomb.append("    ").append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        bomb.append(i == 0 ? "" : ",").append('*').append(p);
      }
      bomb.append("]\n");
    }
    assertThat(rejectsCheaply(yaml, utf8(bomb.toString())))
        .hasMessageContaining("YAML anchors are not allowed");
    // The classic form, at the top of a document.
    String classic =
        bomb.toString()
            .replace("format: httpcache-entry\nversion: 1\nstatus: 200\nbody:\n  json:\n", "")
            .replace("    ", "");
    assertThat(rejectsCheaply(yaml, utf8(classic))).hasMessageContaining("httpcache entry");
  }

  @Test
  void yamlAliasesAnchorsTagsAndMergeKeysAreRefused() {
    Codec yaml = JacksonCodecs.yaml();
    String head = "format: httpcache-entry\nversion: 1\n";
    assertThat(rejects(yaml, utf8(head + "reason: *nothing\n"))).hasMessageContaining("aliases");
    // Jackson does not report anchors on scalars; harmless, since every alias is refused.
    assertThat(rejects(yaml, utf8(head + "headers: &h {}\n"))).hasMessageContaining("anchors");
    assertThat(rejects(yaml, utf8(head + "reason: &r OK\nuri: *r\n")))
        .hasMessageContaining("aliases");
    assertThat(rejects(yaml, utf8(head + "reason: !!str OK\n"))).hasMessageContaining("tags");
    assertThat(rejects(yaml, utf8(head + "status: !!int \"200\"\n"))).hasMessageContaining("tags");
    assertThat(rejects(yaml, utf8(head + "body: !!python/object/apply:os.system [\"id\"]\n")))
        .hasMessageContaining("tags");
    assertThat(rejects(yaml, utf8(head + "uri: !!java.net.URL [\"http://x/\"]\n")))
        .hasMessageContaining("tags");
    assertThat(rejects(yaml, utf8(head + "body:\n  text: !!binary aGk=\n")))
        .hasMessageContaining("tags");
    assertThat(
            rejects(
                yaml, utf8("%TAG !e! tag:evil.example,2026:\n---\n" + head + "reason: !e!x OK\n")))
        .hasMessageContaining("tags");
    assertThat(rejects(yaml, utf8(head + "headers:\n  <<: *base\n")))
        .hasMessageContaining("aliases");
  }

  @Test
  void yamlDeepNestingLongLinesAndMultipleDocumentsAreRefused() {
    Codec yaml = JacksonCodecs.yaml();
    String head = "format: httpcache-entry\nversion: 1\nbody:\n  json:\n";
    assertThat(rejectsCheaply(yaml, utf8(head + "    " + "[\n".repeat(200_000))))
        .hasMessageContaining("nesting depth");
    StringBuilder block = new StringBuilder(head);
    for (int i = 0; i < 2000; i++) {
      block.append(" ".repeat(4 + i)).append("a:\n");
    }
    assertThat(rejectsCheaply(yaml, utf8(block.toString()))).hasMessageContaining("nesting depth");
    assertThat(rejectsCheaply(yaml, utf8("reason: \"" + "x".repeat(100_000) + "\"\n")))
        .hasMessageContaining("a line is longer than 65536 bytes");
    assertThat(rejectsCheaply(yaml, utf8("# " + "x".repeat(4 << 20) + "\n")))
        .hasMessageContaining("a line is longer than");
    byte[] valid = encodeValid(yaml);
    String twice = new String(valid, UTF_8) + "---\n" + new String(valid, UTF_8);
    assertThat(rejects(yaml, utf8(twice))).hasMessageContaining("content after the end");
    assertThat(
            rejects(
                yaml, utf8(new String(valid, UTF_8).replace("status: 200", "status: 200\n\tx: 1"))))
        .hasMessageContaining("malformed document");
    assertThat(rejects(yaml, utf8(""))).hasMessageContaining("truncated");
    assertThat(rejects(yaml, utf8("- a\n- b\n"))).hasMessageContaining("not an array");
  }

  /** A CBOR entry cut just before the value of {@code field}, so hostile bytes land there. */
  private static byte[] cborPrefix(String... fieldsBefore) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // Never closed: closing would end the object, and the point is to stop before a value.
    JsonGenerator g = new CBORFactory().createGenerator(out);
    g.writeStartObject();
    g.writeStringField("format", "httpcache-entry");
    g.writeNumberField("version", 1);
    for (int i = 0; i < fieldsBefore.length - 1; i++) {
      g.writeStringField(fieldsBefore[i], "x");
    }
    g.writeFieldName(fieldsBefore[fieldsBefore.length - 1]);
    g.flush();
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, int... tail) {
    byte[] out = Arrays.copyOf(a, a.length + tail.length);
    for (int i = 0; i < tail.length; i++) {
      out[a.length + i] = (byte) tail[i];
    }
    return out;
  }

  static Stream<Arguments> cborLengths() throws IOException {
    byte[] reason = cborPrefix("reason");
    byte[] status = cborPrefix("status");
    byte[] headers = cborPrefix("headers");
    byte[] body = cborPrefix("body");
    return Stream.of(
        Arguments.of("text of 2^62 bytes", concat(reason, 0x7B, 0x40, 0, 0, 0, 0, 0, 0, 0, 'a')),
        Arguments.of("text of 4 GiB", concat(reason, 0x7A, 0xFF, 0xFF, 0xFF, 0xFF, 'a')),
        Arguments.of("text of 2 GiB", concat(reason, 0x7A, 0x7F, 0xFF, 0xFF, 0xFF, 'a')),
        Arguments.of("endless chunked text", concat(reason, 0x7F, 0x61, 'a', 0x61, 'b', 0x61)),
        Arguments.of(
            "bytes of 2 GiB",
            concat(body, 0xA1, 0x65, 'b', 'y', 't', 'e', 's', 0x5A, 0x7F, 0xFF, 0xFF, 0xFF, 1)),
        Arguments.of(
            "bytes of 2^63",
            concat(
                body, 0xA1, 0x65, 'b', 'y', 't', 'e', 's', 0x5B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFF, 0xFF)),
        Arguments.of(
            "array of 2^63 values",
            concat(
                headers, 0xA1, 0x61, 'a', 0x9B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                0x61, 'v')),
        Arguments.of(
            "map of 2^32 headers", concat(headers, 0xBA, 0xFF, 0xFF, 0xFF, 0xFF, 0x61, 'a')),
        Arguments.of(
            "bignum status of 2 GiB", concat(status, 0xC2, 0x5A, 0x7F, 0xFF, 0xFF, 0xFF, 1)),
        Arguments.of("bignum status", concat(status, 0xC2, 0x49, 1, 0, 0, 0, 0, 0, 0, 0, 0)),
        Arguments.of("half-float status", concat(status, 0xF9, 0x7C, 0x00)),
        Arguments.of("NaN status", concat(status, 0xFB, 0x7F, 0xF8, 0, 0, 0, 0, 0, 0)),
        Arguments.of("undefined status", concat(status, 0xF7)),
        Arguments.of("simple value status", concat(status, 0xF8, 0xFF)),
        Arguments.of("reserved additional info", concat(status, 0x1C)),
        Arguments.of("stray break", concat(status, 0xFF)),
        Arguments.of(
            "negative 2^64 status",
            concat(status, 0x3B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cborLengths")
  void cborAbsurdLengthsAndValuesAreRefusedWithoutAllocating(String description, byte[] hostile) {
    rejectsCheaply(JacksonCodecs.cbor(), hostile);
  }

  @Test
  void cborDeepNestingAndTagChainsAreRefused() throws IOException {
    Codec cbor = JacksonCodecs.cbor();
    byte[] deep = new byte[200_000];
    Arrays.fill(deep, (byte) 0x81);
    assertThat(rejectsCheaply(cbor, deep)).hasMessageContaining("must be an object");
    byte[] body = cborPrefix("body");
    byte[] deepBody = Arrays.copyOf(body, body.length + 200_000);
    Arrays.fill(deepBody, body.length, deepBody.length, (byte) 0xBF);
    rejectsCheaply(cbor, deepBody);
    byte[] tags = new byte[300_000];
    for (int i = 0; i < tags.length; i += 3) {
      tags[i] = (byte) 0xD9;
      tags[i + 1] = (byte) 0xD9;
      tags[i + 2] = (byte) 0xF7;
    }
    rejectsCheaply(cbor, tags);
  }

  private static CachedResponse decodeEncoded(Codec codec, CachedResponse r) {
    try {
      return codec.decode("k", codec.encode("k", r));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
