package dev.httpcache.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The IMF-fixdates of entries, read and written by position, against the {@code DateTimeFormatter}
 * that read and wrote them before: the same seconds for every text, the same text for every second.
 */
final class FixdatesTest {
  private static final String CHARS = "0123456789 ,:GMTMonTueDecdecDEC\u0663\uff10-+aZ\u00e9\t";

  /** What the formatter makes of {@code value}: its seconds when it formats back to itself. */
  private static long reference(String value) {
    if (value.length() != 29 || !value.endsWith(" GMT")) {
      return Fixdates.NOT_A_FIXDATE;
    }
    try {
      Instant parsed = ZonedDateTime.parse(value, Fixdates.FORMATTER).toInstant();
      return Fixdates.FORMATTER.format(parsed).equals(value)
          ? parsed.getEpochSecond()
          : Fixdates.NOT_A_FIXDATE;
    } catch (DateTimeException e) {
      return Fixdates.NOT_A_FIXDATE;
    }
  }

  private static String formatted(long seconds) {
    return Fixdates.FORMATTER.format(Instant.ofEpochSecond(seconds));
  }

  @Test
  void writesWhatTheFormatterWritesForEverySecondOfFourDigitYears() {
    Random random = new Random(11);
    List<Long> seconds = new ArrayList<>();
    long[] edges = {
      Fixdates.FIRST,
      Fixdates.LAST,
      0,
      -1,
      1,
      951_782_400L, // 2000-02-29
      -30_610_224_000L, // 1000-01-01
      -30_610_224_001L, // 999-12-31T23:59:59
      -2_208_988_800L, // 1900-01-01
      4_107_542_400L // 2100-02-28 is followed by 1 Mar: 2100 is not a leap year
    };
    for (long edge : edges) {
      seconds.add(edge);
    }
    for (int i = 0; i < 200_000; i++) {
      seconds.add(
          Fixdates.FIRST + Math.floorMod(random.nextLong(), Fixdates.LAST - Fixdates.FIRST));
    }
    for (long s : seconds) {
      assertThat(Fixdates.format(s)).as("%d", s).isEqualTo(formatted(s));
    }
  }

  @Test
  void leavesOtherYearsToTheFormatter() {
    for (long s : new long[] {Fixdates.LAST + 1, Fixdates.FIRST - 1, 400_000_000_000L}) {
      assertThat(Fixdates.format(s)).isEqualTo(formatted(s));
    }
    assertThatThrownBy(() -> Fixdates.format(Long.MAX_VALUE)).isInstanceOf(DateTimeException.class);
  }

  @Test
  void readsExactlyTheTextsTheFormatterReadsBackToThemselves() {
    Random random = new Random(12);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      String date =
          formatted(
              Fixdates.FIRST + Math.floorMod(random.nextLong(), Fixdates.LAST - Fixdates.FIRST));
      texts.add(date);
      // The same text with one character changed, at every position over the run.
      char[] changed = date.toCharArray();
      changed[random.nextInt(changed.length)] = CHARS.charAt(random.nextInt(CHARS.length()));
      texts.add(new String(changed));
      // Another weekday, another case, one character more or less.
      texts.add(date.substring(0, 5).replace(date.substring(0, 3), "Wed") + date.substring(5));
      texts.add(date.toUpperCase(java.util.Locale.ROOT));
      texts.add(date + " ");
      texts.add(date.substring(1));
    }
    texts.addAll(
        List.of(
            "Tue, 29 Feb 2000 00:00:00 GMT",
            "Thu, 29 Feb 2001 00:00:00 GMT",
            "Mon, 29 Feb 2100 00:00:00 GMT",
            "Thu, 31 Apr 2026 00:00:00 GMT",
            "Thu, 03 Dec 2026 24:00:00 GMT",
            "Thu, 03 Dec 2026 23:59:60 GMT",
            "Thu, 03 Dec 2026 23:60:00 GMT",
            "Sat, 01 Jan 0000 00:00:00 GMT",
            "Mon, 01 Jan 0001 00:00:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "Thu, 00 Dec 2026 12:00:00 GMT",
            "Thu, 32 Dec 2026 12:00:00 GMT",
            "Thu, 03 dec 2026 12:00:00 GMT",
            "thu, 03 Dec 2026 12:00:00 GMT",
            "Thu, 03 Dec 2026 12:00:00 UTC",
            "Thu, 0\u0663 Dec 2026 12:00:00 GMT",
            "Thu,  3 Dec 2026 12:00:00 GMT",
            "Thu, 03 Dec 2026 12:00:00 GMT"));
    int dates = 0;
    for (String text : texts) {
      long expected = reference(text);
      assertThat(Fixdates.seconds(text)).as(text).isEqualTo(expected);
      if (expected != Fixdates.NOT_A_FIXDATE) {
        dates++;
      }
    }
    // Both kinds were met in numbers: the check compared dates and non-dates alike.
    assertThat(dates).isGreaterThan(20_000);
    assertThat(texts.size() - dates).isGreaterThan(50_000);
  }
}
