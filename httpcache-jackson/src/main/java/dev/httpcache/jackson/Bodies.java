package dev.httpcache.jackson;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.httpcache.codec.CodecException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How a body is stored: which form suits it, and the exact copy of a JSON value between a document
 * and the compact bytes of a body.
 */
final class Bodies {
  /** The forms a body takes in a document, from the most readable to the plainest. */
  enum Form {
    JSON("json"),
    TEXT("text"),
    BASE64("base64"),
    BYTES("bytes");

    /** The field name inside the document's {@code body} object. */
    final String field;

    Form(String field) {
      this.field = field;
    }

    /** Whether reading this form back goes through a conversion that must be checked. */
    boolean readable() {
      return this == JSON || this == TEXT;
    }

    /** Returns the next plainer form, used when a readable form would not read back exactly. */
    Form plainer() {
      return switch (this) {
        case JSON -> TEXT;
        case TEXT -> BASE64;
        case BASE64, BYTES -> this;
      };
    }
  }

  /** Subtypes that are text whatever their type, besides {@code text/*} and the suffixes. */
  private static final Set<String> TEXT_SUBTYPES =
      Set.of(
          "json",
          "xml",
          "javascript",
          "ecmascript",
          "x-javascript",
          "x-www-form-urlencoded",
          "yaml",
          "x-yaml",
          "graphql",
          "ndjson",
          "x-ndjson",
          "csv",
          "sql",
          "x-sh");

  /**
   * Parses JSON bodies and writes their compact form. Its nesting limit leaves room for the
   * document around a request body, so any body it accepts fits in a document.
   */
  private static final JsonFactory BODY_JSON =
      JsonFactory.builder()
          .streamReadConstraints(Limits.readConstraints(Limits.MAX_DEPTH - 4))
          .errorReportConfiguration(Limits.errorReports())
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .build();

  private Bodies() {}

  /**
   * Returns the most readable form for a body with these headers: text when the Content-Type is
   * text-like (with no charset other than UTF-8 or US-ASCII) and the bytes are valid UTF-8, JSON
   * when moreover the type is JSON and the compact form of the parsed value is the body itself.
   */
  static Form choose(Format format, HttpHeaders headers, byte[] body) {
    if (!format.readableBodies) {
      return Form.BYTES;
    }
    if (body.length == 0) {
      return Form.TEXT;
    }
    Optional<String> contentType = headers.firstValue("Content-Type");
    if (contentType.isEmpty()) {
      return Form.BASE64;
    }
    MediaType type = MediaType.parse(contentType.get());
    if (!type.isText() || !type.isUtf8Compatible() || !isUtf8(body)) {
      return Form.BASE64;
    }
    return type.isJson() && isCompactJson(body) ? Form.JSON : Form.TEXT;
  }

  static boolean isUtf8(byte[] body) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * Returns whether {@code body} is one JSON value written exactly as Jackson writes it compact.
   */
  static boolean isCompactJson(byte[] body) {
    Matching out = new Matching(body);
    try (JsonParser p = BODY_JSON.createParser(body);
        JsonGenerator g = BODY_JSON.createGenerator(out, JsonEncoding.UTF8)) {
      if (p.nextToken() == null) {
        return false;
      }
      copyValue(p, g, Format.JSON);
      g.flush();
      return out.matchedAll();
    } catch (IOException | RuntimeException e) {
      // Not JSON, over a limit, or different bytes (Matching stops at the first difference).
      return false;
    }
  }

  /**
   * Copies the value at the parser's current token into {@code g}, numbers as their exact text.
   * Every further token is inspected by {@code format}.
   */
  static void copyValue(JsonParser p, JsonGenerator g, Format format) throws IOException {
    int depth = 0;
    while (true) {
      JsonToken t = p.currentToken();
      if (t == null) {
        throw new CodecException(format.codecName + ": truncated JSON body");
      }
      switch (t) {
        case START_OBJECT -> {
          g.writeStartObject();
          depth++;
        }
        case END_OBJECT -> {
          g.writeEndObject();
          depth--;
        }
        case START_ARRAY -> {
          g.writeStartArray();
          depth++;
        }
        case END_ARRAY -> {
          g.writeEndArray();
          depth--;
        }
        case FIELD_NAME -> g.writeFieldName(p.currentName());
        case VALUE_STRING -> g.writeString(p.getText());
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
          String number = p.getText();
          if (!isJsonNumber(number)) {
            throw new CodecException(format.codecName + ": JSON body holds a number JSON lacks");
          }
          g.writeNumber(number);
        }
        case VALUE_TRUE -> g.writeBoolean(true);
        case VALUE_FALSE -> g.writeBoolean(false);
        case VALUE_NULL -> g.writeNull();
        default ->
            throw new CodecException(format.codecName + ": JSON body holds a " + t + " token");
      }
      if (depth == 0) {
        return;
      }
      if (p.nextToken() == null) {
        throw new CodecException(format.codecName + ": truncated JSON body");
      }
      format.inspect(p);
    }
  }

  /** Decodes the JSON value at the parser's current token into the compact bytes of a body. */
  static byte[] readJson(JsonParser p, Format format) throws IOException {
    Bounded out = new Bounded(format);
    try (JsonGenerator g = BODY_JSON.createGenerator(out, JsonEncoding.UTF8)) {
      copyValue(p, g, format);
    }
    return out.toByteArray();
  }

  /** Returns whether {@code s} is a number in JSON's grammar (RFC 8259 section 6). */
  static boolean isJsonNumber(String s) {
    int i = 0;
    int n = s.length();
    if (i < n && s.charAt(i) == '-') {
      i++;
    }
    if (i < n && s.charAt(i) == '0') {
      i++;
    } else {
      int start = i;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == start || s.charAt(start) == '0') {
        return false;
      }
    }
    if (i < n && s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == start) {
        return false;
      }
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int start = i;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == start) {
        return false;
      }
    }
    return i == n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** A media type reduced to what choosing a form needs. */
  private static final class MediaType {
    private final String type;
    private final String subtype;
    private final String charset;

    private MediaType(String type, String subtype, String charset) {
      this.type = type;
      this.subtype = subtype;
      this.charset = charset;
    }

    static MediaType parse(String value) {
      String[] parts = value.toLowerCase(Locale.ROOT).split(";", -1);
      String essence = parts[0].trim();
      int slash = essence.indexOf('/');
      String type = slash < 0 ? essence : essence.substring(0, slash).trim();
      String subtype = slash < 0 ? "" : essence.substring(slash + 1).trim();
      String charset = "";
      for (int i = 1; i < parts.length; i++) {
        String param = parts[i].trim();
        if (param.startsWith("charset=")) {
          charset = param.substring("charset=".length()).trim();
          if (charset.length() >= 2 && charset.startsWith("\"") && charset.endsWith("\"")) {
            charset = charset.substring(1, charset.length() - 1);
          }
        }
      }
      return new MediaType(type, subtype, charset);
    }

    boolean isText() {
      return type.equals("text")
          || TEXT_SUBTYPES.contains(subtype)
          || subtype.endsWith("+json")
          || subtype.endsWith("+xml")
          || subtype.endsWith("+yaml");
    }

    boolean isJson() {
      return subtype.equals("json") || subtype.endsWith("+json");
    }

    /** Whether the declared charset, if any, reads UTF-8 bytes as UTF-8 does. */
    boolean isUtf8Compatible() {
      return charset.isEmpty()
          || charset.equals("utf-8")
          || charset.equals("utf8")
          || charset.equals("us-ascii");
    }
  }

  /** An output that compares what is written with an expected array and stops at a difference. */
  private static final class Matching extends OutputStream {
    private final byte[] expected;
    private int pos;

    Matching(byte[] expected) {
      this.expected = expected;
    }

    @Override
    public void write(int b) throws IOException {
      if (pos >= expected.length || expected[pos] != (byte) b) {
        throw new Mismatch();
      }
      pos++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > expected.length - pos) {
        throw new Mismatch();
      }
      for (int i = 0; i < len; i++) {
        if (expected[pos + i] != b[off + i]) {
          throw new Mismatch();
        }
      }
      pos += len;
    }

    boolean matchedAll() {
      return pos == expected.length;
    }
  }

  /** Thrown by {@link Matching}; carries no stack trace, since it is control flow. */
  private static final class Mismatch extends IOException {
    private static final long serialVersionUID = 1L;

    Mismatch() {
      super("differs");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /** A byte buffer that refuses to grow past the largest body. */
  private static final class Bounded extends OutputStream {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final Format format;

    Bounded(Format format) {
      this.format = format;
    }

    @Override
    public void write(int b) throws CodecException {
      check(1);
      buf.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws CodecException {
      check(len);
      buf.write(b, off, len);
    }

    private void check(int more) throws CodecException {
      if (more > Limits.MAX_BODY_BYTES - buf.size()) {
        throw new CodecException(
            format.codecName + ": JSON body is over " + (Limits.MAX_BODY_BYTES >> 20) + " MiB");
      }
    }

    byte[] toByteArray() {
      return buf.toByteArray();
    }
  }
}
