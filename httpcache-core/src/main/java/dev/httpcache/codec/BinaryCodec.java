package dev.httpcache.codec;

import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The default entry format: magic bytes, a format version, then the response and its request as
 * length-prefixed fields. Version 2 is written; versions 1 and 2 are read.
 *
 * <pre>
 * entry-v2 = 'h' 'c' 'b' 2 flags created [expires] status [reason] uri headers body
 *            method [request-uri] headers body
 * flags    = bit 0: expires present; bit 1: the reason is the status's standard one (omitted);
 *            bit 2: the request's URI is the response's (omitted)
 * created  = seconds(zigzag varlong) nanos(varint)
 * expires  = seconds after created(zigzag varlong) nanos(varint)
 * method   = code(1), 1 to 7 for GET HEAD POST PUT DELETE PATCH OPTIONS | 0 string
 * headers  = count(varint) *(field)
 * field    = (name-index * 2 + kind)(varint) [name string, when name-index is 0] value
 *            name-index: 0 for a name written out, else its index in {@link #NAMES}, from 1
 *            kind 0: value = string; kind 1: value = seconds(zigzag varlong) of an
 *            IMF-fixdate that formats back to the very same text
 *
 * entry-v1 = 'h' 'c' 'b' 1 created expires status reason uri headers body request
 * created  = seconds(int64) nanos(varint);  expires = 0 | 1 created
 * request  = method uri headers body;  headers = count(varint) *(string string)
 *
 * string   = length(varint) utf-8 bytes;  body = length(varint) bytes
 * </pre>
 *
 * <p>Version 2 is smaller where entries repeat themselves: common header names are one byte, dates
 * are a few, and the request's URL is not written twice. That matters to a storage that keeps
 * entries in the heap.
 *
 * <p>Decoding checks every length against what is left of the input and against fixed limits, so
 * hostile bytes end in a {@link CodecException}, never in a huge allocation. Thread-safe.
 */
final class BinaryCodec implements Codec {
  static final BinaryCodec INSTANCE = new BinaryCodec();

  static final byte[] MAGIC = {'h', 'c', 'b'};
  static final int VERSION = 2;

  /**
   * Header names written as their index (from 1) in version 2: lower-case, as HTTP/2 and the JDK's
   * client spell them. Part of the format: names are only ever appended.
   */
  static final List<String> NAMES =
      List.of(
          "accept-ranges",
          "age",
          "cache-control",
          "content-encoding",
          "content-language",
          "content-length",
          "content-location",
          "content-type",
          "date",
          "etag",
          "expires",
          "last-modified",
          "location",
          "server",
          "set-cookie",
          "vary",
          "via",
          "x-content-type-options",
          "strict-transport-security",
          "access-control-allow-origin",
          "connection",
          "transfer-encoding",
          "x-frame-options",
          "content-security-policy",
          "link",
          "pragma",
          "referrer-policy",
          "content-disposition",
          "keep-alive",
          "www-authenticate",
          "accept",
          "accept-encoding",
          "accept-language",
          "user-agent",
          "authorization",
          "cookie",
          "if-none-match",
          "if-modified-since",
          "x-request-id",
          "x-cache");

  private static final Map<String, Integer> NAME_INDEX = nameIndex();

  private static Map<String, Integer> nameIndex() {
    Map<String, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < NAMES.size(); i++) {
      index.put(NAMES.get(i), i + 1);
    }
    return Map.copyOf(index);
  }

  /** Methods written as one byte in version 2, by their index from 1. */
  static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  private static final int FLAG_EXPIRES = 1;
  private static final int FLAG_STANDARD_REASON = 2;
  private static final int FLAG_SAME_URI = 4;
  static final int MAX_HEADERS = 10_000;
  static final int MAX_STRING = 1 << 20;

  private BinaryCodec() {}

  @Override
  public String name() {
    return "binary-v" + VERSION;
  }

  /** Reads entries of version 1 as well: their frames name {@code binary-v1}. */
  @Override
  public boolean reads(String codecName) {
    return codecName.equals("binary-v2") || codecName.equals("binary-v1");
  }

  @Override
  public byte[] encode(String key, CachedResponse r) {
    CachedRequest q = r.request();
    Writer w = new Writer(192 + r.bodyLength() + q.bodyLength());
    w.bytes(MAGIC);
    w.u8(VERSION);
    Instant expires = r.expiresOrNull();
    boolean standardReason = r.reason().equals(CachedResponse.standardReason(r.statusCode()));
    String uri = r.uri().toString();
    String requestUri = q.uri().toString();
    boolean sameUri = uri.equals(requestUri);
    w.u8(
        (expires != null ? FLAG_EXPIRES : 0)
            | (standardReason ? FLAG_STANDARD_REASON : 0)
            | (sameUri ? FLAG_SAME_URI : 0));
    w.compactInstant(r.createdAt());
    if (expires != null) {
      w.zigzag(expires.getEpochSecond() - r.createdAt().getEpochSecond());
      w.varint(expires.getNano());
    }
    w.varint(r.statusCode());
    if (!standardReason) {
      w.string(r.reason());
    }
    w.string(uri);
    w.compactHeaders(r.headers());
    w.blob(r.bodyUnsafe());
    int method = METHODS.indexOf(q.method()) + 1;
    w.u8(method);
    if (method == 0) {
      w.string(q.method());
    }
    if (!sameUri) {
      w.string(requestUri);
    }
    w.compactHeaders(q.headers());
    w.blob(q.bodyUnsafe());
    return w.toByteArray();
  }

  @Override
  public CachedResponse decode(String key, byte[] data) throws CodecException {
    Reader in = new Reader(data);
    for (byte m : MAGIC) {
      if (in.u8() != m) {
        throw new CodecException("not a binary entry (bad magic bytes)");
      }
    }
    int version = in.u8();
    if (version == 2) {
      return decodeV2(in);
    }
    if (version != 1) {
      throw new CodecException("unsupported binary entry version " + version);
    }
    Instant created = in.instant();
    int hasExpires = in.u8();
    Instant expires;
    if (hasExpires == 0) {
      expires = null;
    } else if (hasExpires == 1) {
      expires = in.instant();
    } else {
      throw new CodecException("bad expiry flag " + hasExpires);
    }
    int status = in.varint();
    if (status < 100 || status > 999) {
      throw new CodecException("status code out of range: " + status);
    }
    String reason = in.string();
    URI uri = in.uri();
    HttpHeaders headers = in.headers();
    byte[] body = in.blob();
    String method = in.string();
    URI requestUri = in.uri();
    HttpHeaders requestHeaders = in.headers();
    byte[] requestBody = in.blob();
    if (in.remaining() != 0) {
      throw new CodecException(in.remaining() + " trailing bytes after the entry");
    }
    try {
      CachedRequest request =
          CachedRequest.ofOwned(method, requestUri, requestHeaders, requestBody);
      return CachedResponse.builder()
          .statusCode(status)
          .reason(reason)
          .headers(headers)
          .bodyOwned(body)
          .uri(uri)
          .request(request)
          .createdAt(created)
          .expires(expires)
          .build();
    } catch (IllegalArgumentException e) {
      throw new CodecException("invalid entry: " + e.getMessage(), e);
    }
  }

  private static CachedResponse decodeV2(Reader in) throws CodecException {
    int flags = in.u8();
    if ((flags & ~(FLAG_EXPIRES | FLAG_STANDARD_REASON | FLAG_SAME_URI)) != 0) {
      throw new CodecException("unknown flags in entry: " + flags);
    }
    Instant created = in.compactInstant();
    Instant expires = null;
    if ((flags & FLAG_EXPIRES) != 0) {
      long after = in.zigzag();
      int nanos = in.varint();
      try {
        expires = Instant.ofEpochSecond(Math.addExact(created.getEpochSecond(), after), nanos);
      } catch (DateTimeException | ArithmeticException e) {
        throw new CodecException("expiry out of range in entry", e);
      }
    }
    int status = in.varint();
    if (status < 100 || status > 999) {
      throw new CodecException("status code out of range: " + status);
    }
    String reason = (flags & FLAG_STANDARD_REASON) != 0 ? null : in.string();
    URI uri = in.uri();
    HttpHeaders headers = in.compactHeaders();
    byte[] body = in.blob();
    int methodCode = in.u8();
    String method;
    if (methodCode == 0) {
      method = in.string();
    } else if (methodCode <= METHODS.size()) {
      method = METHODS.get(methodCode - 1);
    } else {
      throw new CodecException("unknown method code " + methodCode);
    }
    URI requestUri = (flags & FLAG_SAME_URI) != 0 ? uri : in.uri();
    HttpHeaders requestHeaders = in.compactHeaders();
    byte[] requestBody = in.blob();
    if (in.remaining() != 0) {
      throw new CodecException(in.remaining() + " trailing bytes after the entry");
    }
    try {
      CachedRequest request =
          CachedRequest.ofOwned(method, requestUri, requestHeaders, requestBody);
      CachedResponse.Builder b =
          CachedResponse.builder()
              .statusCode(status)
              .headers(headers)
              .bodyOwned(body)
              .uri(uri)
              .request(request)
              .createdAt(created)
              .expires(expires);
      if (reason != null) {
        b.reason(reason);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new CodecException("invalid entry: " + e.getMessage(), e);
    }
  }

  /** Appends fields to a growing array. */
  private static final class Writer {
    private byte[] buf;
    private int len;

    Writer(int capacity) {
      buf = new byte[capacity];
    }

    private void ensure(int more) {
      if (len + more > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
      }
    }

    void u8(int v) {
      ensure(1);
      buf[len++] = (byte) v;
    }

    void bytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
    }

    void varint(int v) {
      ensure(5);
      while ((v & ~0x7F) != 0) {
        buf[len++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[len++] = (byte) v;
    }

    void int64(long v) {
      ensure(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        buf[len++] = (byte) (v >>> shift);
      }
    }

    void varlong(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[len++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[len++] = (byte) v;
    }

    void zigzag(long v) {
      varlong((v << 1) ^ (v >> 63));
    }

    void compactInstant(Instant t) {
      zigzag(t.getEpochSecond());
      varint(t.getNano());
    }

    void compactHeaders(HttpHeaders headers) {
      Map<String, List<String>> map = headers.map();
      int count = 0;
      for (List<String> values : map.values()) {
        count += values.size();
      }
      varint(count);
      for (Map.Entry<String, List<String>> e : map.entrySet()) {
        String name = e.getKey();
        Integer index = NAME_INDEX.get(name);
        boolean dated =
            name.equalsIgnoreCase("date")
                || name.equalsIgnoreCase("last-modified")
                || name.equalsIgnoreCase("expires")
                || name.equalsIgnoreCase("if-modified-since");
        for (String value : e.getValue()) {
          // Only a date that formats back to the very same text is written as a number, so that
          // every header reads back as it was.
          long seconds = dated ? Fixdates.seconds(value) : Fixdates.NOT_A_FIXDATE;
          boolean date = seconds != Fixdates.NOT_A_FIXDATE;
          varint((index == null ? 0 : index * 2) + (date ? 1 : 0));
          if (index == null) {
            string(name);
          }
          if (date) {
            zigzag(seconds);
          } else {
            string(value);
          }
        }
      }
    }

    void string(String s) {
      blob(s.getBytes(StandardCharsets.UTF_8));
    }

    void blob(byte[] b) {
      varint(b.length);
      bytes(b);
    }

    void headers(HttpHeaders headers) {
      Map<String, List<String>> map = headers.map();
      int count = 0;
      for (List<String> values : map.values()) {
        count += values.size();
      }
      varint(count);
      for (Map.Entry<String, List<String>> e : map.entrySet()) {
        for (String value : e.getValue()) {
          string(e.getKey());
          string(value);
        }
      }
    }

    byte[] toByteArray() {
      return len == buf.length ? buf : java.util.Arrays.copyOf(buf, len);
    }
  }

  /** Reads fields with every length checked against the input. */
  private static final class Reader {
    private final byte[] buf;
    private int pos;

    Reader(byte[] buf) {
      this.buf = buf;
    }

    int remaining() {
      return buf.length - pos;
    }

    int u8() throws CodecException {
      if (pos >= buf.length) {
        throw new CodecException("truncated entry");
      }
      return buf[pos++] & 0xFF;
    }

    int varint() throws CodecException {
      int result = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        int b = u8();
        result |= (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          if (result < 0) {
            throw new CodecException("negative length in entry");
          }
          return result;
        }
      }
      throw new CodecException("malformed length in entry");
    }

    long int64() throws CodecException {
      if (remaining() < 8) {
        throw new CodecException("truncated entry");
      }
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (buf[pos++] & 0xFF);
      }
      return v;
    }

    long varlong() throws CodecException {
      long result = 0;
      for (int shift = 0; shift < 70; shift += 7) {
        int b = u8();
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw new CodecException("malformed number in entry");
    }

    long zigzag() throws CodecException {
      long v = varlong();
      return (v >>> 1) ^ -(v & 1);
    }

    Instant compactInstant() throws CodecException {
      long seconds = zigzag();
      int nanos = varint();
      try {
        return Instant.ofEpochSecond(seconds, nanos);
      } catch (DateTimeException | ArithmeticException e) {
        throw new CodecException("time out of range in entry", e);
      }
    }

    HttpHeaders compactHeaders() throws CodecException {
      int count = varint();
      if (count > MAX_HEADERS) {
        throw new CodecException("too many headers in entry: " + count);
      }
      Map<String, List<String>> map = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        int field = varint();
        int index = field >>> 1;
        int kind = field & 1;
        String name;
        if (index == 0) {
          name = string();
        } else if (index <= NAMES.size()) {
          name = NAMES.get(index - 1);
        } else {
          throw new CodecException("unknown header name index " + index);
        }
        String value;
        if (kind == 0) {
          value = string();
        } else {
          long seconds = zigzag();
          try {
            value = Fixdates.format(seconds);
          } catch (DateTimeException | ArithmeticException e) {
            throw new CodecException("date out of range in entry", e);
          }
        }
        @Nullable List<String> values = map.get(name);
        if (values == null) {
          values = new ArrayList<>(1);
          map.put(name, values);
        }
        values.add(value);
      }
      try {
        return HttpHeaders.of(map, (a, b) -> true);
      } catch (IllegalArgumentException e) {
        throw new CodecException("invalid headers in entry", e);
      }
    }

    Instant instant() throws CodecException {
      long seconds = int64();
      int nanos = varint();
      try {
        return Instant.ofEpochSecond(seconds, nanos);
      } catch (DateTimeException | ArithmeticException e) {
        throw new CodecException("time out of range in entry", e);
      }
    }

    byte[] blob() throws CodecException {
      int n = varint();
      if (n > remaining()) {
        throw new CodecException("length " + n + " runs past the end of the entry");
      }
      byte[] out = new byte[n];
      System.arraycopy(buf, pos, out, 0, n);
      pos += n;
      return out;
    }

    String string() throws CodecException {
      int n = varint();
      if (n > remaining() || n > MAX_STRING) {
        throw new CodecException("string length " + n + " is out of bounds");
      }
      String s = new String(buf, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    URI uri() throws CodecException {
      String s = string();
      try {
        URI uri = new URI(s);
        if (!uri.isAbsolute()) {
          throw new CodecException("URI in entry is not absolute");
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new CodecException("malformed URI in entry", e);
      }
    }

    HttpHeaders headers() throws CodecException {
      int count = varint();
      if (count > MAX_HEADERS) {
        throw new CodecException("too many headers in entry: " + count);
      }
      Map<String, List<String>> map = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String name = string();
        String value = string();
        @Nullable List<String> values = map.get(name);
        if (values == null) {
          values = new ArrayList<>(1);
          map.put(name, values);
        }
        values.add(value);
      }
      try {
        return HttpHeaders.of(map, (a, b) -> true);
      } catch (IllegalArgumentException e) {
        throw new CodecException("invalid headers in entry", e);
      }
    }
  }
}
