package dev.httpcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class RedisUrlTest {
  private static InetSocketAddress node(String host, int port) {
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Test
  void aPlainUrlNamesOneServerWithDefaults() {
    RedisUrl url = RedisUrl.parse("redis://cache.internal");
    assertThat(url.mode()).isEqualTo(RedisStorage.Mode.STANDALONE);
    assertThat(url.tls()).isFalse();
    assertThat(url.nodes()).containsExactly(node("cache.internal", 6379));
    assertThat(url.database()).isZero();
    assertThat(url.user()).isNull();
    assertThat(url.password()).isNull();
  }

  @Test
  void userPasswordPortAndDatabaseAreRead() {
    RedisUrl url = RedisUrl.parse("rediss://alice:p%40ss%3Aw0rd@10.0.0.5:6380/3");
    assertThat(url.tls()).isTrue();
    assertThat(url.user()).isEqualTo("alice");
    assertThat(url.password()).isEqualTo("p@ss:w0rd");
    assertThat(url.nodes()).containsExactly(node("10.0.0.5", 6380));
    assertThat(url.database()).isEqualTo(3);
  }

  @Test
  void aPasswordAloneAuthenticatesTheDefaultUser() {
    assertThat(RedisUrl.parse("redis://:secret@h/0").password()).isEqualTo("secret");
    assertThat(RedisUrl.parse("redis://:secret@h/0").user()).isNull();
    assertThat(RedisUrl.parse("redis://secret@h/0").password()).isEqualTo("secret");
  }

  @Test
  void aPasswordMayHoldReservedCharactersUnescaped() {
    RedisUrl url = RedisUrl.parse("redis://bob:a/b?c@d@host:1/2");
    assertThat(url.user()).isEqualTo("bob");
    assertThat(url.password()).isEqualTo("a/b?c@d");
    assertThat(url.nodes()).containsExactly(node("host", 1));
    assertThat(url.database()).isEqualTo(2);
  }

  @Test
  void ipv6HostsAreBracketed() {
    assertThat(RedisUrl.parse("redis://[::1]:7000/1").nodes()).containsExactly(node("::1", 7000));
  }

  @Test
  void sentinelUrlsNameTheSentinelsAndTheMaster() {
    RedisUrl url = RedisUrl.parse("redis+sentinel://u:p@s1,s2:26380/mymaster/4");
    assertThat(url.mode()).isEqualTo(RedisStorage.Mode.SENTINEL);
    assertThat(url.nodes()).containsExactly(node("s1", 26379), node("s2", 26380));
    assertThat(url.masterName()).isEqualTo("mymaster");
    assertThat(url.database()).isEqualTo(4);
  }

  @Test
  void clusterUrlsNameSeedNodes() {
    RedisUrl url = RedisUrl.parse("rediss+cluster://a:7000,b:7001,c?namespace=api&timeout=200ms");
    assertThat(url.mode()).isEqualTo(RedisStorage.Mode.CLUSTER);
    assertThat(url.tls()).isTrue();
    assertThat(url.nodes()).containsExactly(node("a", 7000), node("b", 7001), node("c", 6379));
    assertThat(url.parameters()).isEqualTo(Map.of("namespace", "api", "timeout", "200ms"));
  }

  @Test
  void parametersSetTheBuilder() {
    RedisStorage.Builder builder =
        RedisStorage.builder()
            .url("redis://h:1/2?namespace=api&timeout=2s&ttlOffset=6h&backoff=250ms");
    assertThat(builder.toString())
        .isEqualTo(
            "RedisStorage.Builder[redis://h:1/2, namespace=api, timeout=PT2S, ttlOffset=PT6H]");
  }

  @Test
  void durationsTakeAUnit() {
    assertThat(RedisUrl.duration("t", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(RedisUrl.duration("t", "10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(RedisUrl.duration("t", "1d")).isEqualTo(Duration.ofDays(1));
    assertThatThrownBy(() -> RedisUrl.duration("t", "500"))
        .hasMessageContaining("a number and a unit");
    assertThatThrownBy(() -> RedisUrl.duration("t", "ms"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://u:hunter2@h/0",
        "redis://u:hunter2@h/x",
        "redis://u:hunter2@h:99999/0",
        "redis://u:hunter2@h1,h2/0",
        "redis://u:hunter2@h/0/1",
        "redis://u:hunter2@h/0?color=red",
        "redis://u:hunter2@/0",
        "redis+sentinel://u:hunter2@h",
        "redis+cluster://u:hunter2@h/1",
        "redis://u:hunter2%4@h/0",
        "u:hunter2@h"
      })
  void badUrlsAreRefusedWithoutShowingThePassword(String url) {
    assertThatThrownBy(() -> RedisStorage.fromUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid Redis URL")
        .message()
        .doesNotContain("hunter2");
  }

  @Test
  void redactionHidesEverythingBeforeTheLastAt() {
    assertThat(RedisUrl.redact("redis://u:p@ss@h:1/0")).isEqualTo("redis://***@h:1/0");
    assertThat(RedisUrl.redact("redis://h:1/0")).isEqualTo("redis://h:1/0");
  }

  @Test
  void theEndpointShowsTheUserButNeverThePassword() {
    RedisStorage storage = RedisStorage.fromUrl("redis://alice:hunter2@h:1/2?namespace=api");
    assertThat(storage.toString()).isEqualTo("RedisStorage[redis://alice@h:1/2, namespace=api]");
    storage.close();
    assertThat(
            RedisStorage.builder()
                .sentinel("m", List.of(node("s", 26379)))
                .password("hunter2")
                .tls(true)
                .toString())
        .isEqualTo(
            "RedisStorage.Builder[rediss+sentinel://s:26379/m/0, namespace=http_cache,"
                + " timeout=PT0.5S, ttlOffset=PT1H]");
  }
}
