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
 * length-prefixed fields.
 *
 * <pre>
 * entry    = 'h' 'c' 'b' version(1) created expires status reason uri headers body request
 * created  = seconds(int64) nanos(int32)
 * expires  = 0 | 1 seconds(int64) nanos(int32)
 * request  = method uri headers body
 * headers  = count(varint) *(name value)
 * string   = length(varint) utf-8 bytes;  body = length(varint) bytes
 * </pre>
 *
 * <p>Decoding checks every length against what is left of the input and against fixed limits, so
 * hostile bytes end in a {@link CodecException}, never in a huge allocation. Thread-safe.
 */
final class BinaryCodec implements Codec {
  static final BinaryCodec INSTANCE = new BinaryCodec();

  static final byte[] MAGIC = {'h', 'c', 'b'};
  static final int VERSION = 1;
  static final int MAX_HEADERS = 10_000;
  static final int MAX_STRING = 1 << 20;

  private BinaryCodec() {}

  @Override
  public String name() {
    return "binary-v" + VERSION;
  }

  @Override
  public byte[] encode(String key, CachedResponse r) {
    CachedRequest q = r.request();
    Writer w = new Writer(256 + r.bodyLength() + q.bodyLength());
    w.bytes(MAGIC);
    w.u8(VERSION);
    w.instant(r.createdAt());
    Instant expires = r.expiresOrNull();
    if (expires == null) {
      w.u8(0);
    } else {
      w.u8(1);
      w.instant(expires);
    }
    w.varint(r.statusCode());
    w.string(r.reason());
    w.string(r.uri().toString());
    w.headers(r.headers());
    w.blob(r.bodyUnsafe());
    w.string(q.method());
    w.string(q.uri().toString());
    w.headers(q.headers());
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
    if (version != VERSION) {
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

    void instant(Instant t) {
      int64(t.getEpochSecond());
      varint(t.getNano());
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
