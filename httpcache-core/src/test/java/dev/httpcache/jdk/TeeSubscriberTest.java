package dev.httpcache.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The copy a network body leaves for the cache. */
final class TeeSubscriberTest {
  private static final int LIMIT = 16 * 1024 * 1024;

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  /**
   * A Content-Length is a claim of the origin, which may be hostile: a response that announces 16
   * MiB and sends nothing must not cost 16 MiB of heap per request. Memory follows the bytes that
   * arrive.
   */
  @Test
  void aDeclaredLengthIsNotAllocatedBeforeItsBytesArrive() {
    List<byte[]> stored = new ArrayList<>();
    long before = allocatedByThisThread();
    TeeSubscriber<Void> tee =
        new TeeSubscriber<>(BodySubscribers.discarding(), LIMIT, LIMIT, stored::add, () -> {});
    long allocated = allocatedByThisThread() - before;
    assertThat(allocated).isLessThan(1024 * 1024);
    assertThat(tee).isNotNull();
  }

  @Test
  void aLargeBodyIsStillCopiedWholeAsItArrives() throws Exception {
    byte[] body = new byte[3 * 1024 * 1024 + 17];
    new Random(5).nextBytes(body);
    AtomicReference<byte[]> stored = new AtomicReference<>();
    TeeSubscriber<byte[]> tee =
        new TeeSubscriber<>(
            BodySubscribers.ofByteArray(), LIMIT, body.length, stored::set, () -> {});
    tee.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {}
        });
    for (int at = 0; at < body.length; at += 16_384) {
      tee.onNext(List.of(ByteBuffer.wrap(body, at, Math.min(16_384, body.length - at))));
    }
    tee.onComplete();
    assertThat(stored.get()).isEqualTo(body);
    assertThat(tee.getBody().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(body);
  }
}
