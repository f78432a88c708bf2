package dev.httpcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class MainTest {
  @Test
  void noCommandPrintsTheUsageOnStandardErrorAndFails() {
    Cli.Result result = Cli.run();

    assertThat(result.status()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines().get(0))
        .isEqualTo(
            "httpcache: missing command: demo, get, ls, show, rm, purge, stats, export, import,"
                + " keygen or proxy (see 'httpcache --help')");
    assertThat(result.err())
        .contains("Usage: httpcache", "demo", "get", "ls", "show", "purge", "export", "import");
  }

  @Test
  void helpListsTheCommandsOnStandardOutput() {
    Cli.Result result = Cli.run("--help");

    assertThat(result.status()).isZero();
    assertThat(result.out()).contains("Usage: httpcache", "demo", "get", "Exit status");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void helpOfGetListsEveryOption() {
    Cli.Result result = Cli.run("get", "--help");

    assertThat(result.status()).isZero();
    assertThat(result.out())
        .contains(
            "-X, --request=METHOD",
            "-H, --header='Name: value'",
            "-d, --data=DATA",
            "--cache=LOCATION",
            "--codec=CODEC",
            "--key-env=VARIABLE",
            "--expire-after=DURATION",
            "--only-if-cached",
            "--refresh",
            "--force-refresh",
            "--skip-cache",
            "-L, --location",
            "--connect-timeout=DURATION",
            "-s, --silent");
  }

  @Test
  void versionNamesTheBuild() {
    Cli.Result result = Cli.run("--version");

    assertThat(result.status()).isZero();
    assertThat(result.out()).startsWith("httpcache ").doesNotContain("${");
  }

  @Test
  void anUnknownCommandFailsWithOneLine() {
    Cli.Result result = Cli.run("frobnicate");

    assertThat(result.status()).isEqualTo(2);
    assertThat(result.errLines()).singleElement().asString().startsWith("httpcache: ");
  }
}
