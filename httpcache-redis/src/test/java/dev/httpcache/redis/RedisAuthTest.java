package dev.httpcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passwords and ACL users, on a redis-server the test starts with a password for the default user
 * and an ACL user {@code alice}; no password ever shows in a message.
 */
final class RedisAuthTest {
  private static final String DEFAULT_PASSWORD = "default-hunter2";
  private static final String ALICE_PASSWORD = "alice-hunter2";
  private static final String LIMITED_PASSWORD = "limited-hunter2";

  @TempDir static Path dir;
  private static RedisServer server;

  @BeforeAll
  static void start() throws IOException {
    server =
        RedisServer.start(
            dir,
            "--requirepass",
            DEFAULT_PASSWORD,
            "--user",
            "alice",
            "on",
            ">" + ALICE_PASSWORD,
            "~*",
            "+@all",
            // The least a cache needs, as docs/redis.md lists it: its own keys, these commands.
            "--user",
            "limited",
            "on",
            ">" + LIMITED_PASSWORD,
            "~api:*",
            "+get",
            "+set",
            "+unlink",
            "+del",
            "+strlen",
            "+getrange",
            "+hget",
            "+hset",
            "+hdel",
            "+hlen",
            "+hscan",
            "+scan",
            "+eval",
            "+ping",
            "+select",
            "+client|setname");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String url(String userInfo) {
    return "redis://" + userInfo + "@127.0.0.1:" + server.port() + "/0?namespace=auth";
  }

  @Test
  void anAclUserAndItsPasswordAreAccepted() throws IOException {
    try (RedisStorage storage = RedisStorage.fromUrl(url("alice:" + ALICE_PASSWORD))) {
      storage.put(Namespace.RESPONSES, "k", bytes("v"), null);
      assertThat(storage.get(Namespace.RESPONSES, "k")).isPresent();
      assertThat(storage.toString()).contains("alice@").doesNotContain(ALICE_PASSWORD);
      storage.clear();
    }
  }

  @Test
  void aUserLimitedToTheNamespaceAndTheListedCommandsCanDoEverything() throws IOException {
    String url =
        "redis://limited:" + LIMITED_PASSWORD + "@127.0.0.1:" + server.port() + "/0?namespace=api";
    try (RedisStorage storage = RedisStorage.fromUrl(url)) {
      Instant past = Instant.parse("2001-01-01T00:00:00Z");
      storage.put(Namespace.RESPONSES, "k", bytes("v"), null);
      storage.put(Namespace.RESPONSES, "old", bytes("v"), past);
      storage.put(Namespace.REDIRECTS, "a", bytes("k"), past);
      assertThat(storage.get(Namespace.RESPONSES, "k")).isPresent();
      assertThat(storage.get(Namespace.REDIRECTS, "a")).isPresent();
      assertThat(storage.keys(Namespace.RESPONSES)).containsExactlyInAnyOrder("k", "old");
      assertThat(storage.count(Namespace.REDIRECTS)).isEqualTo(1);
      assertThat(storage.bytes(Namespace.RESPONSES)).isEqualTo(2);
      assertThat(storage.removeExpired(Namespace.RESPONSES, Instant.now())).isEqualTo(1);
      assertThat(storage.removeExpired(Namespace.REDIRECTS, Instant.now())).isEqualTo(1);
      assertThat(storage.remove(Namespace.RESPONSES, "k")).isTrue();
      storage.put(Namespace.RESPONSES, "k", bytes("v"), null);
      storage.clear();
      assertThat(storage.count(Namespace.RESPONSES)).isZero();
    }
  }

  @Test
  void aUserLimitedToOtherKeysIsRefused() {
    String url =
        "redis://limited:" + LIMITED_PASSWORD + "@127.0.0.1:" + server.port() + "/0?namespace=x";
    try (RedisStorage storage = RedisStorage.fromUrl(url)) {
      assertThatThrownBy(() -> storage.put(Namespace.RESPONSES, "k", bytes("v"), null))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("NOPERM");
    }
  }

  @Test
  void aPasswordAloneAuthenticatesTheDefaultUser() throws IOException {
    try (RedisStorage storage =
        RedisStorage.builder()
            .server("127.0.0.1", server.port())
            .password(DEFAULT_PASSWORD)
            .namespace("auth-default")
            .build()) {
      storage.put(Namespace.RESPONSES, "k", bytes("v"), null);
      assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(1);
      assertThat(storage.toString()).doesNotContain(DEFAULT_PASSWORD);
      storage.clear();
    }
  }

  @Test
  void aWrongPasswordIsAFaultThatNeverShowsThePassword() {
    String wrong = "wrong-hunter2";
    try (RedisStorage storage = RedisStorage.fromUrl(url("alice:" + wrong))) {
      assertThatThrownBy(() -> storage.get(Namespace.RESPONSES, "k"))
          .isInstanceOf(IOException.class)
          .satisfies(
              e -> {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                assertThat(trace.toString())
                    .contains("WRONGPASS")
                    .doesNotContain(wrong)
                    .doesNotContain(ALICE_PASSWORD);
              });
      assertThat(storage.toString()).doesNotContain(wrong);
    }
  }

  @Test
  void withoutCredentialsRedisRefusesAndTheStorageSaysSo() {
    try (RedisStorage storage = RedisStorage.fromUrl(server.url() + "?namespace=auth")) {
      assertThatThrownBy(() -> storage.put(Namespace.RESPONSES, "k", bytes("v"), null))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("NOAUTH");
    }
  }
}
