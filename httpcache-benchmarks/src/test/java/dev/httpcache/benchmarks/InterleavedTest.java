package dev.httpcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the comparison of two builds on a few requests, with this module's own core as both builds,
 * and checks that it measures what it says: the builds revalidate, or store their misses, and the
 * result is the mean of the rounds' medians. No timing is asserted.
 */
final class InterleavedTest {

  private static Path locationOf(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void eachKindFollowsEachOtherKindAsOften() {
    // follows[x][y]: how often kind y runs right after kind x, over 1 000 requests in a row
    int[][] follows = new int[3][3];
    int previous = -1;
    for (int i = 0; i < 1_000; i++) {
      int[] order = Interleaved.order(i);
      assertThat(order).containsExactlyInAnyOrder(0, 1, 2);
      for (int k : order) {
        if (previous >= 0) {
          follows[previous][k]++;
        }
        previous = k;
      }
    }
    // 2 999 successions: each of the six ordered pairs of two kinds 500 times (one fewer for the
    // last), and no kind right after itself
    for (int x = 0; x < 3; x++) {
      assertThat(follows[x][x]).as("%d after itself", x).isZero();
      for (int y = 0; y < 3; y++) {
        if (x != y) {
          assertThat(follows[x][y]).as("%d after %d", y, x).isBetween(499, 500);
        }
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"revalidation, memory", "miss, memory", "miss, sqlite-wb", "revalidation, sqlite"})
  void theBuildsDoWhatTheScenarioMeasures(String scenario, String storage) throws Exception {
    Path core = locationOf(dev.httpcache.HttpCache.class);
    Path sqlite = locationOf(org.sqlite.JDBC.class);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    Interleaved.Result result =
        Interleaved.compare(
            scenario,
            storage,
            core,
            core,
            sqlite,
            3,
            20,
            new PrintStream(printed, true, StandardCharsets.UTF_8));

    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("round 1: ", "round 2: ", "round 3: ");
    assertThat(text).contains(scenario + ", " + storage + ": mean of the medians of rounds 2-3");
    assertThat(result.plainMicros()).isPositive();
    assertThat(result.aMicros()).isPositive();
    assertThat(result.ratioB()).isEqualTo(result.bMicros() / result.plainMicros());
  }

  @Test
  void anUnknownScenarioOrStorageIsRefused() throws Exception {
    Path core = locationOf(dev.httpcache.HttpCache.class);
    Path sqlite = locationOf(org.sqlite.JDBC.class);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Interleaved.compare("hit", "memory", core, core, sqlite, 1, 1, quiet))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("revalidation or miss");
    assertThatThrownBy(() -> Interleaved.compare("miss", "redis", core, core, sqlite, 1, 1, quiet))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memory or sqlite");
  }

  @Test
  void theChecksFailWhenTheBuildsDoNotCache() throws Exception {
    try (Origin origin = Origin.start(Origin.BODY_SIZE)) {
      java.net.http.HttpClient plain = Clients.jdkClient();
      for (String build : new String[] {"plain", "a", "b"}) {
        plain.send(
            java.net.http.HttpRequest.newBuilder(origin.uri("/miss/" + build + "/1")).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
      }

      // Plain clients as the two builds: the first miss is asked of the origin again.
      assertThatThrownBy(() -> Interleaved.check("miss", origin, plain, plain, 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("build A did not store its first miss");
      // Nothing was revalidated.
      assertThatThrownBy(() -> Interleaved.check("revalidation", origin, plain, plain, 2))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("answered 304 to 0 requests");
    }
  }
}
