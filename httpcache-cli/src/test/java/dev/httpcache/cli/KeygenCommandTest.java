package dev.httpcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.codec.SecretKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class KeygenCommandTest {
  @TempDir Path dir;

  @Test
  void printsANewKeyThatTheLibraryAccepts() {
    Cli.Result first = Cli.run("keygen");
    Cli.Result second = Cli.run("keygen");
    assertThat(first.status()).isZero();
    String key = first.out().trim();
    assertThat(Base64.getDecoder().decode(key)).hasSize(32);
    assertThat(second.out().trim()).isNotEqualTo(key);
    SecretKeys keys = SecretKeys.of(Base64.getDecoder().decode(key));
    assertThat(first.err()).contains("key id " + keys.ids().get(0)).doesNotContain(key);
  }

  @Test
  void storesTheKeyInAKeyStoreThatTheLibraryReads() throws Exception {
    Path file = dir.resolve("keys/cache-keys.p12");
    Map<String, String> env = Map.of("HTTPCACHE_KEYSTORE_PASSWORD", "s3cret pass");

    Cli.Result first = Cli.runWithEnvironment(env, "keygen", "--keystore", file.toString());
    Cli.Result second =
        Cli.runWithEnvironment(env, "keygen", "--keystore", file.toString(), "--alias", "next");

    assertThat(first.status()).isZero();
    assertThat(first.out()).isEmpty();
    assertThat(second.status()).isZero();
    SecretKeys keys =
        SecretKeys.fromKeyStore(file, "s3cret pass".toCharArray(), "next", "httpcache");
    assertThat(keys.size()).isEqualTo(2);
    assertThat(first.err()).contains("stored key " + keys.ids().get(1) + " as 'httpcache'");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void refusesToReplaceAKeyOrToRunWithoutAPassword() {
    Path file = dir.resolve("k.p12");
    Map<String, String> env = Map.of("HTTPCACHE_KEYSTORE_PASSWORD", "pw");
    assertThat(Cli.runWithEnvironment(env, "keygen", "--keystore", file.toString()).status())
        .isZero();

    Cli.Result again = Cli.runWithEnvironment(env, "keygen", "--keystore", file.toString());
    Cli.Result noPassword = Cli.runWithEnvironment(Map.of(), "keygen", "--keystore", "x.p12");
    Cli.Result wrongPassword =
        Cli.runWithEnvironment(
            Map.of("HTTPCACHE_KEYSTORE_PASSWORD", "other"),
            "keygen",
            "--keystore",
            file.toString(),
            "--alias",
            "b");

    assertThat(again.status()).isEqualTo(2);
    assertThat(again.errLines())
        .containsExactly(
            "httpcache: the key store "
                + file
                + " already has 'httpcache'; choose another --alias");
    assertThat(noPassword.status()).isEqualTo(2);
    assertThat(noPassword.errLines())
        .containsExactly(
            "httpcache: set the key store's password in the environment variable"
                + " HTTPCACHE_KEYSTORE_PASSWORD");
    assertThat(wrongPassword.status()).isEqualTo(1);
    assertThat(wrongPassword.errLines()).hasSize(1);
    assertThat(wrongPassword.err()).contains("wrong password?");
  }
}
