package dev.httpcache.model;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * An immutable HTTP response as the cache stores it: status, reason, headers, body bytes, the URL
 * it came from, the request that produced it, when it was created and when it expires.
 *
 * <p>Build one with {@link #builder()}; derive a variant with {@link #toBuilder()}. Instances are
 * immutable and thread-safe.
 */
public final class CachedResponse {
  private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (a, b) -> true);
  private static final byte[] EMPTY = new byte[0];

  private final int statusCode;
  private final String reason;
  private final HttpHeaders headers;
  private final byte[] body;
  private final URI uri;
  private final CachedRequest request;
  private final Instant createdAt;
  private final @Nullable Instant expires;

  // The names of its Vary, parsed on first use: a response decoded once and served many times
  // reads them on every hit. An immutable list, so a race only parses twice.
  private @Nullable List<String> varyNames;

  // Its age when it was stored, computed on first use: it depends on its headers and creation time
  // alone, and a hit would otherwise parse its Date and Age lines again. Immutable, so a race only
  // computes it twice.
  private @Nullable Duration initialAge;

  // The headers it was last served with and the age they say: the hits of one second share them,
  // and so do the responses built from it with the same headers (a revalidated one).
  private final AgedBox aged;

  /** Headers served with an {@code Age} line, and that age in seconds. */
  private record Aged(long ageSeconds, HttpHeaders headers) {}

  /** Holds the last {@link Aged}; immutable values, so a race only builds them twice. */
  private static final class AgedBox {
    @Nullable Aged last;
  }

  /** Makes the headers that a stored response is served with at an age, in seconds. */
  @FunctionalInterface
  public interface AgedHeaders {
    /** Returns {@code stored} as served at {@code ageSeconds}. */
    HttpHeaders of(HttpHeaders stored, long ageSeconds);
  }

  private CachedResponse(Builder b, byte[] body) {
    this.statusCode = b.statusCode;
    this.reason = b.reason == null ? Reasons.of(b.statusCode) : b.reason;
    this.headers = Objects.requireNonNull(b.headers, "headers");
    this.body = body;
    this.request = Objects.requireNonNull(b.request, "request");
    this.uri = b.uri == null ? request.uri() : b.uri;
    this.createdAt = Objects.requireNonNull(b.createdAt, "createdAt");
    this.expires = b.expires;
    this.aged = b.aged != null && b.agedHeaders == headers ? b.aged : new AgedBox();
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this response's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.statusCode = statusCode;
    b.reason = reason;
    b.headers = headers;
    b.body = body;
    b.bodyOwned = true;
    b.uri = uri;
    b.request = request;
    b.createdAt = createdAt;
    b.expires = expires;
    b.aged = aged;
    b.agedHeaders = headers;
    return b;
  }

  /** Returns the status code, such as 200. */
  public int statusCode() {
    return statusCode;
  }

  /**
   * Returns the standard reason phrase of {@code status} ({@code OK} for 200), the phrase a
   * response built without one gets; an empty string for a code without one.
   */
  public static String standardReason(int status) {
    return Reasons.of(status);
  }

  /** Returns the reason phrase, such as {@code OK}. */
  public String reason() {
    return reason;
  }

  /** Returns the response headers. */
  public HttpHeaders headers() {
    return headers;
  }

  /**
   * Returns its age when it was stored, computed by {@code compute} from {@code headers()} and
   * {@code createdAt()} on first use and kept. {@code compute} must depend on nothing but its
   * arguments.
   */
  public Duration initialAge(BiFunction<HttpHeaders, Instant, Duration> compute) {
    Duration age = initialAge;
    if (age == null) {
      age = compute.apply(headers, createdAt);
      initialAge = age;
    }
    return age;
  }

  /**
   * Returns its headers as served at {@code ageSeconds}, made by {@code make} from {@code
   * headers()}; the last ones made are kept, so that a response decoded once and served many times
   * within a second builds them once. A response built by {@link #toBuilder()} with the same
   * headers shares them. {@code make} must depend on nothing but its arguments.
   */
  public HttpHeaders headersAt(long ageSeconds, AgedHeaders make) {
    Aged last = aged.last;
    if (last != null && last.ageSeconds() == ageSeconds) {
      return last.headers();
    }
    HttpHeaders served = make.of(headers, ageSeconds);
    aged.last = new Aged(ageSeconds, served);
    return served;
  }

  /**
   * Returns the lower-case header names of its {@code Vary}, in order, without repeats, {@code *}
   * included; parsed once per response.
   */
  public List<String> varyNames() {
    List<String> names = varyNames;
    if (names == null) {
      names = varyNames(headers);
      varyNames = names;
    }
    return names;
  }

  /**
   * Returns the lower-case header names of the {@code Vary} of {@code headers}, in order, without
   * repeats, {@code *} included.
   */
  public static List<String> varyNames(HttpHeaders headers) {
    List<String> values = headers.allValues("Vary");
    if (values.isEmpty()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (String value : values) {
      for (String item : value.split(",", -1)) {
        String name = item.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && !names.contains(name)) {
          names.add(name);
        }
      }
    }
    return List.copyOf(names);
  }

  /** Returns a copy of the body; empty when the response has none. */
  public byte[] body() {
    return body.length == 0 ? EMPTY : body.clone();
  }

  /** Returns a read-only view of the body, without copying it. */
  public ByteBuffer bodyBuffer() {
    return ByteBuffer.wrap(body).asReadOnlyBuffer();
  }

  /** Returns the body length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /**
   * Returns the body array itself, without copying. Callers must not modify it; this exists for
   * codecs and adapters on the hot path.
   */
  public byte[] bodyUnsafe() {
    return body;
  }

  /** Returns the URL the response came from (after redirects, if any were followed). */
  public URI uri() {
    return uri;
  }

  /** Returns the request that produced this response, as it was stored. */
  public CachedRequest request() {
    return request;
  }

  /** Returns when the response was received from the origin. */
  public Instant createdAt() {
    return createdAt;
  }

  /** Returns when the response expires; empty when it never does. */
  public Optional<Instant> expires() {
    return Optional.ofNullable(expires);
  }

  /** Returns when the response expires, or {@code null} when it never does. */
  public @Nullable Instant expiresOrNull() {
    return expires;
  }

  /** Returns whether the response has expired at {@code now}: expires is set and not after now. */
  public boolean isExpired(Instant now) {
    return expires != null && !now.isBefore(expires);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CachedResponse)) {
      return false;
    }
    CachedResponse r = (CachedResponse) o;
    return statusCode == r.statusCode
        && reason.equals(r.reason)
        && headers.equals(r.headers)
        && Arrays.equals(body, r.body)
        && uri.equals(r.uri)
        && request.equals(r.request)
        && createdAt.equals(r.createdAt)
        && Objects.equals(expires, r.expires);
  }

  @Override
  public int hashCode() {
    return Objects.hash(statusCode, uri, createdAt, expires, Arrays.hashCode(body));
  }

  /** Returns the status and the URL without its query, which may hold secrets. */
  @Override
  public String toString() {
    return "CachedResponse["
        + statusCode
        + " "
        + CachedRequest.withoutQuery(uri)
        + ", created "
        + createdAt
        + ", expires "
        + (expires == null ? "never" : expires.toString())
        + ", "
        + body.length
        + " bytes]";
  }

  /** Builds a {@link CachedResponse}. Not thread-safe. */
  public static final class Builder {
    private int statusCode = 200;
    private @Nullable String reason;
    private @Nullable HttpHeaders headers = NO_HEADERS;
    private byte[] body = EMPTY;
    private boolean bodyOwned = true;
    private @Nullable URI uri;
    private @Nullable CachedRequest request;
    private @Nullable Instant createdAt;
    private @Nullable Instant expires;
    // The served headers' memo of the response this builder started from, and its headers: shared
    // while the headers stay the same.
    private @Nullable AgedBox aged;
    private @Nullable HttpHeaders agedHeaders;

    private Builder() {}

    /** Sets the status code (100 to 999). */
    public Builder statusCode(int statusCode) {
      if (statusCode < 100 || statusCode > 999) {
        throw new IllegalArgumentException("status code out of range 100..999: " + statusCode);
      }
      this.statusCode = statusCode;
      return this;
    }

    /** Sets the reason phrase; by default the standard phrase of the status code. */
    public Builder reason(String reason) {
      this.reason = Objects.requireNonNull(reason, "reason");
      return this;
    }

    /** Sets the headers. */
    public Builder headers(HttpHeaders headers) {
      this.headers = Objects.requireNonNull(headers, "headers");
      return this;
    }

    /** Sets the body; the array is copied when the response is built. */
    public Builder body(byte[] body) {
      this.body = Objects.requireNonNull(body, "body");
      this.bodyOwned = false;
      return this;
    }

    /**
     * Sets the body without copying it; for codecs and adapters that built the array themselves and
     * never touch it again.
     */
    public Builder bodyOwned(byte[] body) {
      this.body = Objects.requireNonNull(body, "body");
      this.bodyOwned = true;
      return this;
    }

    /** Sets the URL the response came from; by default the request's URL. */
    public Builder uri(URI uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      return this;
    }

    /** Sets the request that produced the response (required). */
    public Builder request(CachedRequest request) {
      this.request = Objects.requireNonNull(request, "request");
      return this;
    }

    /** Sets when the response was received (required). */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
      return this;
    }

    /** Sets when the response expires; {@code null} means never. */
    public Builder expires(@Nullable Instant expires) {
      this.expires = expires;
      return this;
    }

    /**
     * Builds the response.
     *
     * @throws NullPointerException when the request or the creation time is missing
     */
    public CachedResponse build() {
      byte[] b = body.length == 0 ? EMPTY : bodyOwned ? body : body.clone();
      return new CachedResponse(this, b);
    }
  }
}
