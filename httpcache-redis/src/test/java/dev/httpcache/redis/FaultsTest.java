package dev.httpcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** Which failures open the breaker: those that say Redis was not reached, not its error replies. */
final class FaultsTest {
  @Test
  void connectionFailuresAndTimeoutsMeanUnreachable() {
    assertThat(RedisStorage.unreachable(new JedisConnectionException("Connection refused")))
        .isTrue();
    assertThat(
            RedisStorage.unreachable(
                new JedisConnectionException(new SocketTimeoutException("Read timed out"))))
        .isTrue();
    assertThat(
            RedisStorage.unreachable(
                new JedisException(
                    "Could not get a resource from the pool",
                    new JedisConnectionException("Failed to connect"))))
        .isTrue();
  }

  @Test
  void aClusterOutOfAttemptsAfterConnectionFailuresIsUnreachable() {
    JedisClusterOperationException e =
        new JedisClusterOperationException("No more cluster attempts left.");
    e.addSuppressed(new JedisConnectionException("Connection refused"));
    assertThat(RedisStorage.unreachable(e)).isTrue();
    assertThat(
            RedisStorage.unreachable(
                new JedisClusterOperationException("Could not initialize cluster slots cache.")))
        .isTrue();
  }

  @Test
  void errorRepliesAreAnswers() {
    assertThat(RedisStorage.unreachable(new JedisDataException("OOM command not allowed")))
        .isFalse();
    assertThat(RedisStorage.unreachable(new JedisAccessControlException("WRONGPASS"))).isFalse();
    assertThat(
            RedisStorage.unreachable(
                new JedisClusterOperationException(
                    "No way to dispatch this command to Redis Cluster because keys have different"
                        + " slots.")))
        .isFalse();
  }
}
