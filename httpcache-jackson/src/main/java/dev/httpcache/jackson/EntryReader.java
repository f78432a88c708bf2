package dev.httpcache.jackson;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.httpcache.codec.CodecException;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads one entry document, treating it as hostile: every token's type is checked, every field is
 * required exactly once, unknown fields are refused, and every size is bounded. All failures end in
 * a {@link CodecException} whose message names the field and never quotes more than a few
 * characters of the input.
 */
final class EntryReader {
  private final Format format;
  private final JsonParser p;
  private int headerValues;

  private EntryReader(Format format, JsonParser p) {
    this.format = format;
    this.p = p;
  }

  /** Decodes {@code data}; throws only {@link CodecException}. */
  static CachedResponse read(Format format, byte[] data) throws CodecException {
    if (data.length > Limits.MAX_ENTRY_BYTES) {
      throw new CodecException(
          format.codecName
              + ": entry of "
              + data.length
              + " bytes is over the limit of "
              + Limits.MAX_ENTRY_BYTES
              + " bytes");
    }
    try (JsonParser p = format.parser(data)) {
      return new EntryReader(format, p).entry();
    } catch (CodecException e) {
      throw e;
    } catch (StreamConstraintsException e) {
      throw new CodecException(
          format.codecName + ": entry is over a limit: " + brief(e.getOriginalMessage()), e);
    } catch (JsonProcessingException e) {
      throw new CodecException(
          format.codecName + ": malformed document" + where(e) + ": " + problem(e), e);
    } catch (IOException e) {
      throw new CodecException(format.codecName + ": unreadable document: " + brief(e), e);
    } catch (RuntimeException e) {
      // Jackson and SnakeYAML may throw unchecked exceptions on some malformed input.
      throw new CodecException(
          format.codecName + ": malformed document (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private CachedResponse entry() throws IOException {
    expect(next(), JsonToken.START_OBJECT, "the document");
    if (next() != JsonToken.FIELD_NAME || !p.currentName().equals("format")) {
      throw fail("not an httpcache entry: the first field must be \"format\"");
    }
    if (next() != JsonToken.VALUE_STRING || !p.getText().equals(EntryWriter.FORMAT)) {
      throw fail("not an httpcache entry: format is not \"" + EntryWriter.FORMAT + "\"");
    }
    if (next() != JsonToken.FIELD_NAME || !p.currentName().equals("version")) {
      throw fail("the second field must be \"version\"");
    }
    int version = integer("version");
    if (version != EntryWriter.VERSION) {
      throw fail(
          "unsupported "
              + EntryWriter.FORMAT
              + " version "
              + version
              + "; this codec reads version "
              + EntryWriter.VERSION);
    }

    Fields fields = new Fields("");
    int status = 0;
    String reason = "";
    URI uri = null;
    Instant createdAt = null;
    Instant expires = null;
    HttpHeaders headers = null;
    byte[] body = null;
    CachedRequest request = null;
    JsonToken t;
    while ((t = next()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      switch (fields.take(name)) {
        case "status" -> {
          status = integer("status");
          if (status < 100 || status > 999) {
            throw fail("status code out of range 100..999: " + status);
          }
        }
        case "reason" -> reason = string("reason", Limits.MAX_STRING_CHARS);
        case "uri" -> uri = uri("uri");
        case "createdAt" -> createdAt = instant("createdAt");
        case "expires" ->
            expires = next() == JsonToken.VALUE_NULL ? null : instant("expires", p.currentToken());
        case "headers" -> headers = headers("headers");
        case "body" -> body = body("body");
        case "request" -> request = request();
        default -> throw fail("unknown field " + quote(name));
      }
    }
    expect(t, JsonToken.END_OBJECT, "the document");
    fields.require("status", "reason", "uri", "createdAt", "expires", "headers", "body", "request");
    if (p.nextToken() != null) {
      throw fail("content after the end of the entry");
    }
    try {
      return CachedResponse.builder()
          .statusCode(status)
          .reason(reason)
          .headers(nonNull(headers))
          .bodyOwned(nonNull(body))
          .uri(nonNull(uri))
          .request(nonNull(request))
          .createdAt(nonNull(createdAt))
          .expires(expires)
          .build();
    } catch (IllegalArgumentException e) {
      throw fail("invalid entry: " + brief(e));
    }
  }

  private CachedRequest request() throws IOException {
    expect(next(), JsonToken.START_OBJECT, "request");
    Fields fields = new Fields("request.");
    String method = "";
    URI uri = null;
    HttpHeaders headers = null;
    byte[] body = null;
    JsonToken t;
    while ((t = next()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      switch (fields.take(name)) {
        case "method" -> method = string("request.method", 1024);
        case "uri" -> uri = uri("request.uri");
        case "headers" -> headers = headers("request.headers");
        case "body" -> body = body("request.body");
        default -> throw fail("unknown field " + quote("request." + name));
      }
    }
    expect(t, JsonToken.END_OBJECT, "request");
    fields.require("method", "uri", "headers", "body");
    try {
      return CachedRequest.ofOwned(method, nonNull(uri), nonNull(headers), nonNull(body));
    } catch (IllegalArgumentException e) {
      throw fail("invalid request: " + brief(e));
    }
  }

  private HttpHeaders headers(String field) throws IOException {
    expect(next(), JsonToken.START_OBJECT, field);
    Map<String, List<String>> map = new LinkedHashMap<>();
    JsonToken t;
    while ((t = next()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (name.length() > Limits.MAX_NAME_CHARS) {
        throw fail("a header name in " + field + " is too long");
      }
      if (map.containsKey(name)) {
        throw fail("header " + quote(name) + " appears twice in " + field);
      }
      expect(next(), JsonToken.START_ARRAY, field + " values");
      List<String> values = new ArrayList<>(1);
      JsonToken v;
      while ((v = next()) == JsonToken.VALUE_STRING) {
        if (++headerValues > Limits.MAX_HEADER_VALUES) {
          throw fail("more than " + Limits.MAX_HEADER_VALUES + " header values in " + field);
        }
        String value = p.getText();
        if (value.length() > Limits.MAX_STRING_CHARS) {
          throw fail("a header value in " + field + " is too long");
        }
        values.add(value);
      }
      if (v != JsonToken.END_ARRAY) {
        throw fail(field + " values must be strings, not " + describe(v));
      }
      map.put(name, values);
    }
    expect(t, JsonToken.END_OBJECT, field);
    headerValues = 0;
    try {
      return HttpHeaders.of(map, (a, b) -> true);
    } catch (IllegalArgumentException e) {
      // Two names that differ only in case, most likely.
      throw fail("invalid " + field + ": " + brief(e));
    }
  }

  /** Reads a body object: one field, whose name says the form of its value. */
  private byte[] body(String field) throws IOException {
    expect(next(), JsonToken.START_OBJECT, field);
    if (next() != JsonToken.FIELD_NAME) {
      throw fail(field + " must hold one field: " + allowedForms());
    }
    String form = p.currentName();
    byte[] bytes =
        switch (allowedForm(field, form)) {
          case JSON -> {
            next();
            yield Bodies.readJson(p, format);
          }
          case TEXT -> utf8(field, string(field + ".text", Limits.MAX_BODY_BYTES));
          case BASE64 -> base64(field, string(field + ".base64", Limits.MAX_TOKEN_CHARS));
          case BYTES -> {
            if (next() != JsonToken.VALUE_EMBEDDED_OBJECT) {
              throw fail(field + ".bytes must be a byte string");
            }
            yield p.getBinaryValue();
          }
        };
    if (bytes.length > Limits.MAX_BODY_BYTES) {
      throw fail(field + " is over " + (Limits.MAX_BODY_BYTES >> 20) + " MiB");
    }
    if (next() != JsonToken.END_OBJECT) {
      throw fail(field + " must hold one field: " + allowedForms());
    }
    return bytes;
  }

  private Bodies.Form allowedForm(String field, String form) throws CodecException {
    for (Bodies.Form f : Bodies.Form.values()) {
      if (f.field.equals(form) && (f == Bodies.Form.BYTES) != format.readableBodies) {
        return f;
      }
    }
    throw fail(field + " must hold one field: " + allowedForms() + "; found " + quote(form));
  }

  private String allowedForms() {
    return format.readableBodies ? "json, text or base64" : "bytes";
  }

  /** Decodes base64, strictly but for line breaks (YAML documents cut it into lines). */
  private byte[] base64(String field, String base64) throws CodecException {
    String joined =
        base64.indexOf('\n') < 0 && base64.indexOf('\r') < 0
            ? base64
            : base64.replace("\n", "").replace("\r", "");
    try {
      return Base64.getDecoder().decode(joined);
    } catch (IllegalArgumentException e) {
      throw fail(field + ".base64 is not valid base64");
    }
  }

  private byte[] utf8(String field, String text) throws CodecException {
    try {
      ByteBuffer encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(text));
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      return bytes;
    } catch (CharacterCodingException e) {
      throw fail(field + ".text is not valid Unicode (a lone surrogate)");
    }
  }

  private int integer(String field) throws IOException {
    if (next() != JsonToken.VALUE_NUMBER_INT) {
      throw fail(field + " must be an integer, not " + describe(p.currentToken()));
    }
    if (p.getNumberType() != JsonParser.NumberType.INT) {
      throw fail(field + " is out of range");
    }
    return p.getIntValue();
  }

  private String string(String field, int maxChars) throws IOException {
    if (next() != JsonToken.VALUE_STRING) {
      throw fail(field + " must be a string, not " + describe(p.currentToken()));
    }
    if (p.getTextLength() > maxChars) {
      throw fail(field + " is longer than " + maxChars + " characters");
    }
    return p.getText();
  }

  private URI uri(String field) throws IOException {
    String s = string(field, Limits.MAX_STRING_CHARS);
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw fail(field + " is not a valid URI");
    }
    if (!uri.isAbsolute()) {
      throw fail(field + " is not an absolute URI");
    }
    return uri;
  }

  private Instant instant(String field) throws IOException {
    return instant(field, next());
  }

  private Instant instant(String field, JsonToken t) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      throw fail(field + " must be an ISO-8601 instant string, not " + describe(t));
    }
    if (p.getTextLength() > 64) {
      throw fail(field + " is not an ISO-8601 instant");
    }
    try {
      return Instant.parse(p.getText());
    } catch (DateTimeException e) {
      throw fail(field + " is not an ISO-8601 instant");
    }
  }

  /** Advances, failing on the end of input; every token passes the format's inspection. */
  private JsonToken next() throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw fail("truncated document");
    }
    format.inspect(p);
    return t;
  }

  private void expect(JsonToken actual, JsonToken expected, String what) throws CodecException {
    if (actual != expected) {
      throw fail(what + " must be " + describe(expected) + ", not " + describe(actual));
    }
  }

  private CodecException fail(String message) {
    return new CodecException(format.codecName + ": " + message);
  }

  private <T> T nonNull(@Nullable T value) {
    if (value == null) {
      // Unreachable after Fields.require; kept so a gap in that list cannot become an NPE.
      throw new IllegalStateException("missing field");
    }
    return value;
  }

  private static String describe(@Nullable JsonToken t) {
    if (t == null) {
      return "the end of input";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case END_OBJECT -> "the end of an object";
      case START_ARRAY -> "an array";
      case END_ARRAY -> "the end of an array";
      case FIELD_NAME -> "a field";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case VALUE_EMBEDDED_OBJECT -> "binary data";
      default -> t.toString();
    };
  }

  /** Quotes a name from the input for a message: at most 40 characters, printable ones only. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("'");
    for (int i = 0; i < s.length() && i < 40; i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    if (s.length() > 40) {
      out.append("...");
    }
    return out.append('\'').toString();
  }

  private static String where(JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    if (loc == null) {
      return "";
    }
    if (loc.getLineNr() > 0) {
      return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }
    return loc.getByteOffset() >= 0 ? " at byte " + loc.getByteOffset() : "";
  }

  /**
   * Jackson's own words on what is wrong, without its location or source excerpt; for YAML,
   * SnakeYAML's problem statement, since its full message quotes the offending line.
   */
  private static String problem(JsonProcessingException e) {
    Throwable cause = e.getCause();
    if (cause instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked) {
      String problem = marked.getProblem();
      return brief(problem == null ? "invalid YAML" : problem);
    }
    if (cause instanceof org.yaml.snakeyaml.error.YAMLException) {
      return brief(cause.getMessage());
    }
    return brief(e.getOriginalMessage());
  }

  private static String brief(Throwable e) {
    return brief(e.getMessage());
  }

  /** Cuts a message to one line of at most 160 characters. */
  static String brief(@Nullable String message) {
    if (message == null) {
      return "no detail";
    }
    String line = message.replaceAll("[\\r\\n\\t]+", " ");
    return line.length() <= 160 ? line : line.substring(0, 160) + "...";
  }

  /** The names of an object's fields seen so far: each known one at most once, all required. */
  private final class Fields {
    private final String prefix;
    private final List<String> seen = new ArrayList<>();

    Fields(String prefix) {
      this.prefix = prefix;
    }

    String take(String name) throws CodecException {
      if (seen.contains(name)) {
        throw fail("duplicate field " + quote(prefix + name));
      }
      seen.add(name);
      return name;
    }

    void require(String... names) throws CodecException {
      for (String name : names) {
        if (!seen.contains(name)) {
          throw fail("missing field " + quote(prefix + name));
        }
      }
    }
  }
}
