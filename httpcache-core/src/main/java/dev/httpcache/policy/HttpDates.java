package dev.httpcache.policy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * HTTP dates (RFC 9110 section 5.6.7) in their three formats, parsed leniently and never throwing:
 * IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}), the obsolete RFC 850 form ({@code Sunday,
 * 06-Nov-94 08:49:37 GMT}) and asctime ({@code Sun Nov 6 08:49:37 1994}). Thread-safe.
 */
final class HttpDates {
  private HttpDates() {}

  private static final Pattern FIELDS = Pattern.compile("[ \\-]+");
  private static final Pattern SPACES = Pattern.compile(" +");
  private static final Pattern COLON = Pattern.compile(":");

  private static final String[] MONTHS = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
  };

  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** Formats {@code instant} as an IMF-fixdate. */
  static String format(Instant instant) {
    return IMF_FIXDATE.format(instant);
  }

  /** The dates parsed last; a longer text (a date in much blank space, or junk) is not kept. */
  private static final RecentTexts<Instant> RECENT = new RecentTexts<>(128);

  /** Returns the instant of an HTTP date, or {@code null} when {@code text} is not one. */
  static @Nullable Instant parse(@Nullable String text) {
    if (text == null) {
      return null;
    }
    return RECENT.get(text, HttpDates::parseText);
  }

  private static @Nullable Instant parseText(String text) {
    String s = text.trim();
    if (s.length() < 20 || s.length() > 64) {
      return null;
    }
    if ((s.length() == 29 || s.length() == 28) && s.charAt(3) == ',' && s.endsWith(" GMT")) {
      Instant fast = fixdate(s);
      if (fast != null) {
        return fast;
      }
    }
    try {
      int comma = s.indexOf(',');
      if (comma > 0) {
        // IMF-fixdate "06 Nov 1994 08:49:37 GMT" or RFC 850 "06-Nov-94 08:49:37 GMT".
        String[] parts = FIELDS.split(s.substring(comma + 1).trim());
        if (parts.length != 5 || !parts[4].equalsIgnoreCase("GMT")) {
          return null;
        }
        int year = Integer.parseInt(parts[2]);
        if (parts[2].length() == 2) {
          year = twoDigitYear(year);
        } else if (parts[2].length() != 4) {
          return null;
        }
        return of(year, month(parts[1]), Integer.parseInt(parts[0]), parts[3]);
      }
      // asctime: "Sun Nov  6 08:49:37 1994"
      String[] parts = SPACES.split(s);
      if (parts.length != 5 || parts[4].length() != 4) {
        return null;
      }
      return of(Integer.parseInt(parts[4]), month(parts[1]), Integer.parseInt(parts[2]), parts[3]);
    } catch (NumberFormatException | DateTimeException e) {
      return null;
    }
  }

  /**
   * Reads an IMF-fixdate by position, without splitting: the common case, on the hit path. A day of
   * one digit (as {@code DateTimeFormatter.RFC_1123_DATE_TIME} writes it) is read too.
   */
  private static @Nullable Instant fixdate(String s) {
    int o = s.length() - 29; // -1 when the day has one digit
    int day = digits(s, 5, 2 + o);
    int month = month(s, 8 + o);
    int year = digits(s, 12 + o, 4);
    int hour = digits(s, 17 + o, 2);
    int minute = digits(s, 20 + o, 2);
    int second = digits(s, 23 + o, 2);
    if (day < 0
        || year < 0
        || hour < 0
        || minute < 0
        || second < 0
        || month < 1
        || s.charAt(19 + o) != ':'
        || s.charAt(22 + o) != ':') {
      return null;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, Math.min(second, 59))
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static @Nullable Instant of(int year, int month, int day, String time) {
    String[] hms = COLON.split(time);
    if (month < 1 || hms.length != 3) {
      return null;
    }
    int second = Integer.parseInt(hms[2]);
    // A leap second (":60") is read as the last second of its minute.
    return LocalDateTime.of(
            year,
            month,
            day,
            Integer.parseInt(hms[0]),
            Integer.parseInt(hms[1]),
            Math.min(second, 59))
        .toInstant(ZoneOffset.UTC);
  }

  /** Returns the month (1 to 12) that a name of three letters, in any case, stands for, else 0. */
  private static int month(String name) {
    return name.length() == 3 ? month(name, 0) : 0;
  }

  /**
   * Returns the month whose three-letter name starts at {@code from} in {@code s}, else 0. Only
   * ASCII letters match, in either case.
   */
  private static int month(String s, int from) {
    for (int i = 0; i < MONTHS.length; i++) {
      String name = MONTHS[i];
      int j = 0;
      while (j < 3) {
        char c = s.charAt(from + j);
        if (c >= 'A' && c <= 'Z') {
          c = (char) (c + ('a' - 'A'));
        }
        if (c != name.charAt(j)) {
          break;
        }
        j++;
      }
      if (j == 3) {
        return i + 1;
      }
    }
    return 0;
  }

  /** RFC 9110: a two-digit year more than 50 years in the future is in the past century. */
  private static int twoDigitYear(int yy) {
    int thisYear = ZonedDateTime.now(ZoneOffset.UTC).getYear();
    int year = thisYear - thisYear % 100 + yy;
    if (year > thisYear + 50) {
      year -= 100;
    }
    return year;
  }
}
