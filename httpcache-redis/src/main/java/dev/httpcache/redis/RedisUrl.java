package dev.httpcache.redis;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A parsed Redis URL:
 *
 * <pre>
 * redis://[user[:password]@]host[:port][/db][?parameters]            one server
 * rediss://...                                                        the same over TLS
 * redis+sentinel://[user[:password]@]host[:port][,host[:port]...]/master[/db][?parameters]
 * redis+cluster://[user[:password]@]host[:port][,host[:port]...][?parameters]
 * </pre>
 *
 * ({@code rediss+sentinel} and {@code rediss+cluster} for TLS). The user and password are
 * percent-decoded; {@code :password@} alone authenticates as the default user. Parameters: {@code
 * namespace}, {@code timeout}, {@code ttlOffset} and {@code backoff}, durations written as a whole
 * number and a unit ({@code 500ms}, {@code 2s}, {@code 10m}, {@code 1h}, {@code 1d}).
 *
 * <p>No message of this class contains the password: errors show the URL with its user information
 * replaced by {@code ***}.
 */
record RedisUrl(
    RedisStorage.Mode mode,
    boolean tls,
    List<InetSocketAddress> nodes,
    @Nullable String masterName,
    int database,
    @Nullable String user,
    @Nullable String password,
    Map<String, String> parameters) {

  static final int DEFAULT_PORT = 6379;
  static final int DEFAULT_SENTINEL_PORT = 26379;

  static RedisUrl parse(String url) {
    int schemeEnd = url.indexOf("://");
    if (schemeEnd < 0) {
      throw invalid(url, "it has no scheme; write redis://host:port/db");
    }
    String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    RedisStorage.Mode mode;
    boolean tls;
    switch (scheme) {
      case "redis" -> {
        mode = RedisStorage.Mode.STANDALONE;
        tls = false;
      }
      case "rediss" -> {
        mode = RedisStorage.Mode.STANDALONE;
        tls = true;
      }
      case "redis+sentinel" -> {
        mode = RedisStorage.Mode.SENTINEL;
        tls = false;
      }
      case "rediss+sentinel" -> {
        mode = RedisStorage.Mode.SENTINEL;
        tls = true;
      }
      case "redis+cluster" -> {
        mode = RedisStorage.Mode.CLUSTER;
        tls = false;
      }
      case "rediss+cluster" -> {
        mode = RedisStorage.Mode.CLUSTER;
        tls = true;
      }
      default ->
          throw invalid(
              url,
              "the scheme must be redis, rediss, redis+sentinel, rediss+sentinel, redis+cluster"
                  + " or rediss+cluster");
    }
    String rest = url.substring(schemeEnd + 3);
    String user = null;
    String password = null;
    // The last '@' ends the user information, so that a password may hold '@', '/' or '?'.
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = userInfo.indexOf(':');
      String rawUser = colon < 0 ? userInfo : userInfo.substring(0, colon);
      user = rawUser.isEmpty() ? null : decode(url, rawUser);
      password = colon < 0 ? null : decode(url, userInfo.substring(colon + 1));
      if (colon < 0 && user != null) {
        // redis://secret@host: a lone user information is the password, as redis-cli reads it.
        password = user;
        user = null;
      }
    }
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);

    int defaultPort = mode == RedisStorage.Mode.SENTINEL ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT;
    List<InetSocketAddress> nodes = new ArrayList<>();
    for (String hostPort : authority.split(",", -1)) {
      nodes.add(hostAndPort(url, hostPort, defaultPort));
    }
    if (mode == RedisStorage.Mode.STANDALONE && nodes.size() != 1) {
      throw invalid(url, "it names several hosts; use redis+cluster:// or redis+sentinel://");
    }

    String masterName = null;
    int database = 0;
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/", -1)) {
      if (!segment.isEmpty()) {
        segments.add(segment);
      }
    }
    if (mode == RedisStorage.Mode.SENTINEL) {
      if (segments.isEmpty()) {
        throw invalid(url, "it names no master; write redis+sentinel://host:port/master");
      }
      masterName = decode(url, segments.remove(0));
    }
    if (segments.size() > 1) {
      throw invalid(url, "its path has too many parts");
    }
    if (!segments.isEmpty()) {
      database = number(url, segments.get(0), "database");
      if (mode == RedisStorage.Mode.CLUSTER && database != 0) {
        throw invalid(url, "Redis Cluster has only database 0");
      }
    }

    Map<String, String> parameters = new LinkedHashMap<>();
    if (!query.isEmpty()) {
      for (String pair : query.split("&", -1)) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw invalid(url, "the parameter '" + pair + "' has no name=value");
        }
        String name = pair.substring(0, eq);
        if (!List.of("namespace", "timeout", "ttlOffset", "backoff").contains(name)) {
          throw invalid(
              url,
              "unknown parameter '" + name + "'; known: namespace, timeout, ttlOffset, backoff");
        }
        parameters.put(name, decode(url, pair.substring(eq + 1)));
      }
    }
    return new RedisUrl(
        mode, tls, List.copyOf(nodes), masterName, database, user, password, parameters);
  }

  /** Parses a duration parameter such as {@code 500ms}, {@code 2s}, {@code 10m}, {@code 1h}. */
  static Duration duration(String name, String text) {
    int split = 0;
    while (split < text.length() && Character.isDigit(text.charAt(split))) {
      split++;
    }
    String unit = text.substring(split);
    if (split == 0 || split > 12) {
      throw new IllegalArgumentException(
          "the parameter " + name + " must be a number and a unit (ms, s, m, h, d): " + text);
    }
    long amount = Long.parseLong(text.substring(0, split));
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default ->
          throw new IllegalArgumentException(
              "the parameter " + name + " must be a number and a unit (ms, s, m, h, d): " + text);
    };
  }

  private static InetSocketAddress hostAndPort(String url, String text, int defaultPort) {
    String host;
    String port = null;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw invalid(url, "an IPv6 address has no closing ']'");
      }
      host = text.substring(1, close);
      String after = text.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw invalid(url, "unexpected text after an IPv6 address");
        }
        port = after.substring(1);
      }
    } else {
      int colon = text.indexOf(':');
      host = colon < 0 ? text : text.substring(0, colon);
      port = colon < 0 ? null : text.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw invalid(url, "a host is missing");
    }
    int portNumber = port == null ? defaultPort : number(url, port, "port");
    if (portNumber < 1 || portNumber > 65535) {
      throw invalid(url, "the port " + portNumber + " is out of range");
    }
    return InetSocketAddress.createUnresolved(host, portNumber);
  }

  private static int number(String url, String text, String what) {
    if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
      throw invalid(url, "the " + what + " '" + text + "' is not a number");
    }
    return Integer.parseInt(text);
  }

  private static String decode(String url, String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()) {
          throw invalid(url, "a percent escape is cut short");
        }
        int hi = Character.digit(text.charAt(i + 1), 16);
        int lo = Character.digit(text.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw invalid(url, "a percent escape is not hexadecimal");
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
          bytes = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static IllegalArgumentException invalid(String url, String why) {
    return new IllegalArgumentException("invalid Redis URL " + redact(url) + ": " + why);
  }

  /** The URL with its user information (and so any password) replaced by {@code ***}. */
  static String redact(String url) {
    int start = url.indexOf("://");
    start = start < 0 ? 0 : start + 3;
    int at = url.lastIndexOf('@');
    if (at < start) {
      return url;
    }
    return url.substring(0, start) + "***" + url.substring(at);
  }
}
