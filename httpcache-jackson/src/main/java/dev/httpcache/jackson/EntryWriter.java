package dev.httpcache.jackson;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes one entry document: format and version, status, reason, uri, headers, body, request,
 * createdAt and expires, in that order. {@link EntryReader} reads the fields after the version in
 * any order.
 */
final class EntryWriter {
  static final String FORMAT = "httpcache-entry";
  static final int VERSION = 1;

  private EntryWriter() {}

  /**
   * Writes {@code r} with its response body in {@code bodyForm} and its request's in {@code
   * requestBodyForm}.
   */
  static byte[] write(
      Format format, CachedResponse r, Bodies.Form bodyForm, Bodies.Form requestBodyForm)
      throws IOException {
    CachedRequest q = r.request();
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + r.bodyLength() * 4 / 3);
    try (JsonGenerator g = format.generator(out)) {
      g.writeStartObject();
      g.writeStringField("format", FORMAT);
      g.writeNumberField("version", VERSION);
      g.writeNumberField("status", r.statusCode());
      g.writeStringField("reason", r.reason());
      g.writeStringField("uri", r.uri().toString());
      g.writeFieldName("headers");
      headers(g, r.headers());
      g.writeFieldName("body");
      body(g, format, bodyForm, r.bodyUnsafe());
      g.writeFieldName("request");
      g.writeStartObject();
      g.writeStringField("method", q.method());
      g.writeStringField("uri", q.uri().toString());
      g.writeFieldName("headers");
      headers(g, q.headers());
      g.writeFieldName("body");
      body(g, format, requestBodyForm, q.bodyUnsafe());
      g.writeEndObject();
      // The times come last, as one-line scalars: a YAML document has no closing bracket, and
      // this way any truncation leaves a field missing or a scalar broken, never a valid entry.
      g.writeStringField("createdAt", r.createdAt().toString());
      Instant expires = r.expiresOrNull();
      if (expires == null) {
        g.writeNullField("expires");
      } else {
        g.writeStringField("expires", expires.toString());
      }
      g.writeEndObject();
    }
    out.write(format.trailer());
    return out.toByteArray();
  }

  private static void headers(JsonGenerator g, HttpHeaders headers) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, List<String>> e : headers.map().entrySet()) {
      g.writeFieldName(e.getKey());
      g.writeStartArray();
      for (String value : e.getValue()) {
        g.writeString(value);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void body(JsonGenerator g, Format format, Bodies.Form form, byte[] body)
      throws IOException {
    g.writeStartObject();
    g.writeFieldName(form.field);
    switch (form) {
      case JSON -> {
        try (JsonParser p = Format.JSON.parser(body)) {
          p.nextToken();
          Bodies.copyValue(p, g, Format.JSON);
        }
      }
      case TEXT -> format.writeText(g, new String(body, StandardCharsets.UTF_8));
      case BASE64 -> format.writeBase64(g, Base64.getEncoder().encodeToString(body));
      case BYTES -> g.writeBinary(body);
    }
    g.writeEndObject();
  }
}
