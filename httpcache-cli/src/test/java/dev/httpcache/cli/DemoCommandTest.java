package dev.httpcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DemoCommandTest {
  @TempDir Path dir;

  private String cache() {
    return dir.resolve("demo.sqlite").toString();
  }

  @Test
  void demoPrintsAMissThenHitsAndTheEntryCount() {
    Cli.Result result = Cli.run("demo", "--cache", cache(), "--delay", "0ms");

    assertThat(result.status()).isZero();
    assertThat(result.err()).isEmpty();
    List<String> requests = result.out().lines().filter(l -> l.startsWith("request ")).toList();
    assertThat(requests).hasSize(4);
    assertThat(requests.get(0)).matches("request 1: status 200, miss +\\d+\\.\\d{3} ms");
    assertThat(requests.subList(1, 4))
        .allMatch(l -> l.matches("request \\d: status 200, hit +\\d+\\.\\d{3} ms"));
    assertThat(result.out())
        .contains("The origin answered 1 of 4 requests; the cache answered 3.")
        .contains("Cache file: " + Path.of(cache()).toAbsolutePath() + " (1 entry)");
  }

  @Test
  void requestsSetsHowManyRequestsAreMade() {
    Cli.Result result = Cli.run("demo", "--cache", cache(), "--delay", "0ms", "-n", "2");

    assertThat(result.status()).isZero();
    assertThat(result.out().lines().filter(l -> l.startsWith("request "))).hasSize(2);
    assertThat(result.out()).contains("The origin answered 1 of 2 requests; the cache answered 1.");
  }

  @Test
  void aSecondRunOnTheSameFileStartsWithAMissAgain() {
    Cli.run("demo", "--cache", cache(), "--delay", "0ms", "-n", "2");

    Cli.Result second = Cli.run("demo", "--cache", cache(), "--delay", "0ms", "-n", "2");

    assertThat(second.status()).isZero();
    assertThat(second.out()).containsPattern("request 1: status 200, miss ");
    assertThat(second.out()).containsPattern("request 2: status 200, hit ");
    assertThat(second.out()).containsPattern("Cache file: .* \\([12] entr(y|ies)\\)");
  }

  @Test
  void badOptionsFailWithOneLine() {
    for (List<String> options :
        List.of(List.of("-n", "0"), List.of("--delay", "2m"), List.of("--delay", "fast"))) {
      List<String> args = new java.util.ArrayList<>(List.of("demo", "--cache", cache()));
      args.addAll(options);

      Cli.Result result = Cli.run(args.toArray(String[]::new));

      assertThat(result.status()).as("%s", options).isEqualTo(2);
      assertThat(result.errLines()).as("%s", options).hasSize(1);
      assertThat(result.err()).as("%s", options).startsWith("httpcache: ");
    }
    assertThat(dir.resolve("demo.sqlite")).doesNotExist();
  }
}
