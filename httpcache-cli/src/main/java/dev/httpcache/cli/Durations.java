package dev.httpcache.cli;

import dev.httpcache.policy.ExpireAfter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses the durations of the command line: {@code 300ms}, {@code 30s}, {@code 10m}, {@code 1h},
 * {@code 2d}, sums of them such as {@code 1h30m}, or ISO-8601 such as {@code PT10M}; and for
 * expirations also {@code never}.
 */
final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern SHORT = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException with a message fit for the user when {@code text} is not one
   */
  static Duration parse(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    Duration d;
    if (s.startsWith("p") || s.startsWith("-p") || s.startsWith("+p")) {
      try {
        d = Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw bad(text);
      }
    } else if (SHORT.matcher(s).matches()) {
      d = Duration.ZERO;
      Matcher m = PART.matcher(s);
      try {
        while (m.find()) {
          d = d.plus(part(Long.parseLong(m.group(1)), m.group(2)));
        }
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("duration too long: '" + text + "'");
      }
    } else if (s.matches("\\d+")) {
      throw new IllegalArgumentException(
          "duration '" + text + "' needs a unit, as in " + s + "s or " + s + "ms");
    } else {
      throw bad(text);
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration: '" + text + "'");
    }
    return d;
  }

  /**
   * Parses an expiration: {@code never}, or a duration ({@code 0} stores responses already expired,
   * so that each use revalidates them).
   */
  static ExpireAfter parseExpiration(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (s.equals("never")) {
      return ExpireAfter.NEVER_EXPIRE;
    }
    if (s.equals("0")) {
      return ExpireAfter.EXPIRE_IMMEDIATELY;
    }
    return ExpireAfter.of(parse(text));
  }

  private static Duration part(long amount, String unit) {
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException(
        "bad duration '" + text + "': expected e.g. 300ms, 30s, 10m, 1h, 1h30m or PT10M");
  }

  /** Converts an option value with {@link #parse}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Converts an option value with {@link #parseExpiration}. */
  static final class ExpirationConverter implements ITypeConverter<ExpireAfter> {
    @Override
    public ExpireAfter convert(String value) {
      try {
        return parseExpiration(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
