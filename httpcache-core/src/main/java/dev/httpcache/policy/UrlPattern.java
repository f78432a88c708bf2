package dev.httpcache.policy;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A URL pattern of the expiration rules: a glob matched without the scheme as an implicit prefix,
 * or a regular expression searched anywhere in the whole URL. Immutable and thread-safe.
 *
 * <p>Globs follow requests-cache's {@code urls_expire_after}: the scheme ({@code https://}) is
 * removed from both the pattern and the URL, {@code *} matches any run of characters ({@code /} and
 * {@code ?} included), {@code ?} one character, {@code [abc]} one of a set, and the pattern matches
 * any URL that starts with it: {@code api.example.com/v1} matches {@code
 * https://api.example.com/v1/users?page=2}. Matching is case-sensitive.
 */
public final class UrlPattern {
  private final String source;
  private final Pattern regex;
  private final boolean glob;

  private UrlPattern(String source, Pattern regex, boolean glob) {
    this.source = source;
    this.regex = regex;
    this.glob = glob;
  }

  /**
   * Returns a glob pattern.
   *
   * @throws IllegalArgumentException when the glob is blank or has an unclosed {@code [}
   */
  public static UrlPattern glob(String glob) {
    Objects.requireNonNull(glob, "glob");
    if (glob.isBlank()) {
      throw new IllegalArgumentException("blank URL pattern; use \"*\" to match every URL");
    }
    String body = stripScheme(glob);
    while (body.endsWith("*")) {
      body = body.substring(0, body.length() - 1);
    }
    return new UrlPattern(
        glob, Pattern.compile(globToRegex(body, glob) + ".*", Pattern.DOTALL), true);
  }

  /** Returns a pattern that matches when {@code regex} is found anywhere in the whole URL. */
  public static UrlPattern regex(Pattern regex) {
    Objects.requireNonNull(regex, "regex");
    return new UrlPattern(regex.pattern(), regex, false);
  }

  /** Whether {@code uri} matches this pattern. */
  public boolean matches(URI uri) {
    String url = uri.toString();
    return glob ? regex.matcher(stripScheme(url)).matches() : regex.matcher(url).find();
  }

  private static String stripScheme(String url) {
    int i = url.indexOf("://");
    return i < 0 ? url : url.substring(i + 3);
  }

  private static String globToRegex(String glob, String original) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else if (c == '[') {
        int end = glob.indexOf(']', i + 2);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed [ in URL pattern: " + original);
        }
        String set = glob.substring(i + 1, end);
        re.append('[');
        if (set.startsWith("!")) {
          re.append('^');
          set = set.substring(1);
        }
        re.append(set.replace("\\", "\\\\").replace("[", "\\[")).append(']');
        i = end;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UrlPattern
        && glob == ((UrlPattern) o).glob
        && source.equals(((UrlPattern) o).source);
  }

  @Override
  public int hashCode() {
    return source.hashCode() * 31 + (glob ? 1 : 0);
  }

  @Override
  public String toString() {
    return glob ? source : "regex:" + source;
  }
}
