package dev.httpcache.codec;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * IMF-fixdate (RFC 9110 section 5.6.7), {@code Sun, 06 Nov 1994 08:49:37 GMT}, read and written by
 * position instead of through a {@link DateTimeFormatter}, which costs a microsecond or more a date
 * and ran twice for each stored response ({@code Date} and {@code Last-Modified}).
 *
 * <p>Exact by construction and checked against the formatter: {@link #seconds} accepts only the
 * texts that {@link #FORMATTER} writes (years 1 to 9999, the day's own weekday, names in their
 * case, ASCII digits), and {@link #format} writes what it would. Seconds outside those years are
 * left to the formatter itself.
 */
final class Fixdates {
  /** What an entry's dates were written and read with before this class; the reference. */
  static final DateTimeFormatter FORMATTER =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** What {@link #seconds} returns for a text that is not an exact IMF-fixdate. */
  static final long NOT_A_FIXDATE = Long.MIN_VALUE;

  /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the dates of four-digit years. */
  static final long FIRST = -62_135_596_800L;

  static final long LAST = 253_402_300_799L;

  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };
  private static final int LENGTH = 29;

  private Fixdates() {}

  /**
   * Returns the seconds since the epoch of {@code value} when it is an IMF-fixdate that formats
   * back to exactly itself, else {@link #NOT_A_FIXDATE}.
   */
  static long seconds(String value) {
    if (value.length() != LENGTH
        || value.charAt(3) != ','
        || value.charAt(4) != ' '
        || value.charAt(7) != ' '
        || value.charAt(11) != ' '
        || value.charAt(16) != ' '
        || value.charAt(19) != ':'
        || value.charAt(22) != ':'
        || !value.endsWith(" GMT")) {
      return NOT_A_FIXDATE;
    }
    int day = digits(value, 5, 2);
    int month = name(MONTHS, value, 8);
    int year = digits(value, 12, 4);
    int hour = digits(value, 17, 2);
    int minute = digits(value, 20, 2);
    int second = digits(value, 23, 2);
    int weekday = name(DAYS, value, 0);
    if (day < 1
        || month < 0
        || year < 1
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59
        || weekday < 0) {
      return NOT_A_FIXDATE;
    }
    LocalDate date;
    try {
      date = LocalDate.of(year, month + 1, day);
    } catch (DateTimeException e) {
      return NOT_A_FIXDATE; // 31 Apr, 29 Feb of a common year
    }
    if (date.getDayOfWeek().ordinal() != weekday) {
      return NOT_A_FIXDATE;
    }
    return date.toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second;
  }

  /** Returns {@code seconds} since the epoch as an IMF-fixdate, as {@link #FORMATTER} writes it. */
  static String format(long seconds) {
    if (seconds < FIRST || seconds > LAST) {
      return FORMATTER.format(Instant.ofEpochSecond(seconds));
    }
    long days = Math.floorDiv(seconds, 86_400L);
    int time = (int) Math.floorMod(seconds, 86_400L);
    LocalDate date = LocalDate.ofEpochDay(days);
    char[] out = new char[LENGTH];
    copy(DAYS[date.getDayOfWeek().ordinal()], out, 0);
    out[3] = ',';
    out[4] = ' ';
    two(date.getDayOfMonth(), out, 5);
    out[7] = ' ';
    copy(MONTHS[date.getMonthValue() - 1], out, 8);
    out[11] = ' ';
    int year = date.getYear();
    two(year / 100, out, 12);
    two(year % 100, out, 14);
    out[16] = ' ';
    two(time / 3_600, out, 17);
    out[19] = ':';
    two(time / 60 % 60, out, 20);
    out[22] = ':';
    two(time % 60, out, 23);
    copy(" GMT", out, 25);
    return new String(out);
  }

  /** The value of {@code count} ASCII digits at {@code at}, or -1 when one is not a digit. */
  private static int digits(String value, int at, int count) {
    int n = 0;
    for (int i = at; i < at + count; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** The index of the three-letter name at {@code at}, in its exact case, or -1. */
  private static int name(String[] names, String value, int at) {
    for (int i = 0; i < names.length; i++) {
      if (value.startsWith(names[i], at)) {
        return i;
      }
    }
    return -1;
  }

  private static void two(int n, char[] out, int at) {
    out[at] = (char) ('0' + n / 10);
    out[at + 1] = (char) ('0' + n % 10);
  }

  private static void copy(String s, char[] out, int at) {
    s.getChars(0, s.length(), out, at);
  }
}
