package dev.httpcache.jackson;

import dev.httpcache.codec.Codec;
import dev.httpcache.codec.CodecException;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link Codec} over one {@link Format}. Encoding picks the most readable form for each body,
 * writes the document, then decodes it and compares: a body that would not read back byte for byte
 * is written again in a plainer form (JSON, then text, then base64), so an entry always decodes to
 * exactly the response that was encoded. Immutable and thread-safe.
 */
final class JacksonCodec implements Codec {
  static final JacksonCodec JSON = new JacksonCodec(Format.JSON);
  static final JacksonCodec YAML = new JacksonCodec(Format.YAML);
  static final JacksonCodec CBOR = new JacksonCodec(Format.CBOR);

  private final Format format;

  private JacksonCodec(Format format) {
    this.format = format;
  }

  @Override
  public String name() {
    return format.codecName;
  }

  @Override
  public byte[] encode(String key, CachedResponse response) throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(response, "response");
    CachedRequest request = response.request();
    checkBodySize("response", response.bodyLength());
    checkBodySize("request", request.bodyLength());
    Bodies.Form bodyForm = Bodies.choose(format, response.headers(), response.bodyUnsafe());
    Bodies.Form requestForm = Bodies.choose(format, request.headers(), request.bodyUnsafe());
    while (true) {
      byte[] bytes = EntryWriter.write(format, response, bodyForm, requestForm);
      CachedResponse back;
      try {
        back = EntryReader.read(format, bytes);
      } catch (CodecException e) {
        if (bodyForm.readable() || requestForm.readable()) {
          bodyForm = bodyForm.plainer();
          requestForm = requestForm.plainer();
          continue;
        }
        throw new IOException(name() + " cannot store " + response + ": " + e.getMessage(), e);
      }
      if (back.equals(response)) {
        return bytes;
      }
      boolean retry = false;
      if (bodyForm.readable() && !Arrays.equals(back.bodyUnsafe(), response.bodyUnsafe())) {
        bodyForm = bodyForm.plainer();
        retry = true;
      }
      if (requestForm.readable()
          && !Arrays.equals(back.request().bodyUnsafe(), request.bodyUnsafe())) {
        requestForm = requestForm.plainer();
        retry = true;
      }
      if (!retry) {
        throw new IOException(
            name()
                + " cannot store "
                + response
                + " exactly: its "
                + difference(back, response)
                + " would read back differently");
      }
    }
  }

  @Override
  public CachedResponse decode(String key, byte[] data) throws CodecException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(data, "data");
    return EntryReader.read(format, data);
  }

  @Override
  public String toString() {
    return name();
  }

  private void checkBodySize(String which, int length) throws IOException {
    if (length > Limits.MAX_BODY_BYTES) {
      throw new IOException(
          name()
              + " stores bodies up to "
              + (Limits.MAX_BODY_BYTES >> 20)
              + " MiB; the "
              + which
              + " body has "
              + length
              + " bytes");
    }
  }

  /** Names the first part in which two responses differ, for an error message. */
  private static String difference(CachedResponse a, CachedResponse b) {
    if (a.statusCode() != b.statusCode()) {
      return "status";
    }
    if (!a.reason().equals(b.reason())) {
      return "reason";
    }
    if (!a.headers().equals(b.headers())) {
      return "headers";
    }
    if (!a.uri().equals(b.uri())) {
      return "URI";
    }
    if (!a.createdAt().equals(b.createdAt()) || !Objects.equals(a.expires(), b.expires())) {
      return "times";
    }
    if (!Arrays.equals(a.bodyUnsafe(), b.bodyUnsafe())) {
      return "body";
    }
    return "request";
  }
}
