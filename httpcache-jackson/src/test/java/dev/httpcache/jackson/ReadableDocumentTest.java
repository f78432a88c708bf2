package dev.httpcache.jackson;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** What a person sees in a stored entry. */
final class ReadableDocumentTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(CachedResponse response) throws IOException {
    return JSON.readTree(JacksonCodecs.json().encode("k", response));
  }

  @Test
  void aJsonBodyAppearsAsAJsonValue() throws IOException {
    JsonNode doc = json(Samples.response("application/json", "{\"id\":7,\"tags\":[\"a\",\"b\"]}"));
    assertThat(doc.at("/body").size()).isEqualTo(1);
    assertThat(doc.at("/body/json").isObject()).isTrue();
    assertThat(doc.at("/body/json/id").asInt()).isEqualTo(7);
    assertThat(doc.at("/body/json/tags/1").asText()).isEqualTo("b");
  }

  @Test
  void aJsonBodyThatWouldNotReadBackExactlyAppearsAsText() throws IOException {
    String pretty = "{\n  \"id\": 7\n}\n";
    JsonNode doc = json(Samples.response("application/json", pretty));
    assertThat(doc.at("/body/json").isMissingNode()).isTrue();
    assertThat(doc.at("/body/text").asText()).isEqualTo(pretty);
  }

  @Test
  void aTextBodyAppearsAsAString() throws IOException {
    JsonNode doc = json(Samples.response("text/html; charset=utf-8", "<p>caf\u00e9</p>\n"));
    assertThat(doc.at("/body/text").asText()).isEqualTo("<p>caf\u00e9</p>\n");
    JsonNode form = json(Samples.response("application/x-www-form-urlencoded", "a=1&b=2"));
    assertThat(form.at("/body/text").asText()).isEqualTo("a=1&b=2");
  }

  @Test
  void aBinaryBodyAppearsAsBase64() throws IOException {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0};
    JsonNode doc = json(Samples.response("image/png", png));
    assertThat(Base64.getDecoder().decode(doc.at("/body/base64").asText())).isEqualTo(png);
    JsonNode invalidUtf8 = json(Samples.response("text/plain", new byte[] {'a', (byte) 0xFF}));
    assertThat(invalidUtf8.at("/body/base64").asText()).isEqualTo("Yf8=");
    JsonNode latin1 = json(Samples.response("text/plain; charset=iso-8859-1", "caf\u00e9"));
    assertThat(latin1.at("/body/base64").isTextual()).isTrue();
  }

  @Test
  void theDocumentIsPrettyPrintedAndStartsWithItsFormatAndVersion() throws IOException {
    String doc =
        new String(JacksonCodecs.json().encode("k", Samples.response("text/plain", "hi")), UTF_8);
    assertThat(doc)
        .startsWith("{\n  \"format\": \"httpcache-entry\",\n  \"version\": 1,\n  \"status\": 200,")
        .contains("\n  \"headers\": {\n    \"Cache-Control\": [ \"max-age=3600\" ],")
        .contains("\"expires\": \"2026-01-02T04:04:05Z\"")
        .endsWith("}\n");
  }

  @Test
  void everyFieldOfTheResponseAndRequestIsInTheDocument() throws IOException {
    JsonNode doc = json(Samples.golden());
    assertThat(doc.at("/status").asInt()).isEqualTo(200);
    assertThat(doc.at("/reason").asText()).isEqualTo("OK");
    assertThat(doc.at("/uri").asText()).startsWith("https://api.example.com/search");
    assertThat(doc.at("/createdAt").asText()).isEqualTo("2026-01-02T03:04:05.123456789Z");
    assertThat(doc.at("/headers/Set-Cookie").size()).isEqualTo(2);
    assertThat(doc.at("/request/method").asText()).isEqualTo("POST");
    assertThat(doc.at("/request/headers/X-Note/0").asText()).isEqualTo("na\u00efve \u2603");
    assertThat(doc.at("/request/body/text").asText()).isEqualTo("term=caf%C3%A9&page=2");
    CachedResponse never = Samples.golden().toBuilder().expires(null).build();
    assertThat(json(never).get("expires").isNull()).isTrue();
  }

  @Test
  void yamlShowsMultiLineTextAsALiteralBlockAndJsonAsAMapping() throws IOException {
    String text =
        new String(
            JacksonCodecs.yaml()
                .encode("k", Samples.response("text/plain", "line one\nline two\n")),
            UTF_8);
    assertThat(text)
        .startsWith("format: \"httpcache-entry\"\nversion: 1\n")
        .contains("body:\n  text: |\n    line one\n    line two\n");
    JsonNode doc =
        new YAMLMapper()
            .readTree(
                JacksonCodecs.yaml()
                    .encode("k", Samples.response("application/json", "{\"id\":7}")));
    assertThat(doc.at("/body/json/id").asInt()).isEqualTo(7);
    JsonNode binary =
        new YAMLMapper()
            .readTree(
                JacksonCodecs.yaml().encode("k", Samples.response("image/png", new byte[300])));
    assertThat(binary.at("/body/base64").asText()).contains("\n");
    assertThat(binary.at("/body/base64").asText().lines()).allMatch(l -> l.length() <= 76);
  }

  @Test
  void cborStartsWithTheSelfDescribingTagAndStoresBodiesAsByteStrings() throws IOException {
    byte[] bytes =
        JacksonCodecs.cbor().encode("k", Samples.response("application/json", "{\"id\":7}"));
    assertThat(bytes).startsWith(0xd9, 0xd9, 0xf7);
    JsonNode doc = new CBORMapper().readTree(bytes);
    assertThat(doc.at("/format").asText()).isEqualTo("httpcache-entry");
    assertThat(doc.at("/body/bytes").isBinary()).isTrue();
    assertThat(doc.at("/body/bytes").binaryValue()).isEqualTo("{\"id\":7}".getBytes(UTF_8));
  }

  @Test
  void aJsonRequestBodyAppearsAsAJsonValueToo() throws IOException {
    CachedRequest request =
        CachedRequest.of(
            "POST",
            URI.create("https://example.com/graphql"),
            Samples.headers("Content-Type", "application/json"),
            "{\"query\":\"{ me }\"}".getBytes(UTF_8));
    JsonNode doc = json(Samples.response("text/plain", "ok").toBuilder().request(request).build());
    assertThat(doc.at("/request/body/json/query").asText()).isEqualTo("{ me }");
  }
}
