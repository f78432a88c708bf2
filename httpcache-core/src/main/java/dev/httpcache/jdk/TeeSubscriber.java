package dev.httpcache.jdk;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * Passes a response body through to the caller's subscriber untouched while keeping a copy, up to a
 * limit; when the body completes within the limit, the copy is handed to a sink (which stores it)
 * before the caller sees the completion, so that a finished response is already cached.
 */
final class TeeSubscriber<T> implements BodySubscriber<T> {
  /** The most the copy takes before the bytes that fill it arrive. */
  static final int MAX_INITIAL = 256 * 1024;

  private final BodySubscriber<T> downstream;
  private final Bodies.Growable copy;
  private final Consumer<byte[]> sink;
  private final Runnable abandoned;

  /**
   * @param sink receives the whole body when it completes within the limit
   * @param abandoned runs when the body fails or overflows the limit, so nothing is stored
   */
  TeeSubscriber(
      BodySubscriber<T> downstream,
      int limit,
      long expectedLength,
      Consumer<byte[]> sink,
      Runnable abandoned) {
    this.downstream = downstream;
    // A Content-Length is the origin's claim: trust it for the first bytes only, so that a
    // response that announces a large body and sends little costs little. Past that the copy
    // grows (doubling) with the bytes that really arrive.
    int initial =
        expectedLength >= 0
            ? (int) Math.min(expectedLength, Math.min(limit, MAX_INITIAL))
            : Math.min(limit, 8192);
    this.copy = new Bodies.Growable(initial, limit);
    this.sink = sink;
    this.abandoned = abandoned;
  }

  @Override
  public CompletionStage<T> getBody() {
    return downstream.getBody();
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    downstream.onSubscribe(subscription);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    for (ByteBuffer buffer : item) {
      copy.append(buffer);
    }
    downstream.onNext(item);
  }

  @Override
  public void onError(Throwable throwable) {
    // A body that failed half-way is never stored.
    abandoned.run();
    downstream.onError(throwable);
  }

  @Override
  public void onComplete() {
    if (copy.overflowed()) {
      abandoned.run();
    } else {
      try {
        sink.accept(copy.toByteArray());
      } catch (RuntimeException e) {
        abandoned.run();
        System.getLogger(TeeSubscriber.class.getName())
            .log(System.Logger.Level.WARNING, "Storing a response failed", e);
      }
    }
    downstream.onComplete();
  }
}
