package dev.httpcache.jdk;

import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Passes a response body through to the caller's subscriber untouched while keeping a copy, up to a
 * limit; when the body completes within the limit, the copy is handed to a sink (which stores it)
 * before the caller sees the completion, so that a finished response is already cached.
 */
final class TeeSubscriber<T> implements BodySubscriber<T> {
  /** The most the copy takes before the bytes that fill it arrive. */
  static final int MAX_INITIAL = 256 * 1024;

  /**
   * The JDK's own subscribers that produce their body in {@code onComplete}, on the thread that
   * delivers it: those of {@code ofByteArray}, {@code ofString}, {@code ofFile}, {@code
   * ofByteArrayConsumer}, {@code discarding} and {@code replacing}. Not those that hand out their
   * body before it has arrived ({@code ofInputStream}, {@code ofLines}, {@code ofPublisher}), nor
   * any subscriber of the caller's own, whose body may complete later or elsewhere.
   */
  private static final Set<String> COMPLETED_BY_THEIR_LAST_BYTES =
      Set.of(
          "jdk.internal.net.http.ResponseSubscribers$ByteArraySubscriber",
          "jdk.internal.net.http.ResponseSubscribers$PathSubscriber",
          "jdk.internal.net.http.ResponseSubscribers$ConsumerSubscriber",
          "jdk.internal.net.http.ResponseSubscribers$NullSubscriber");

  private final BodySubscriber<T> downstream;
  private final Bodies.Growable copy;
  private final Consumer<byte[]> sink;
  private final Runnable abandoned;
  // Whether onComplete or onError has run: either runs once, whoever calls it again.
  private final AtomicBoolean ended = new AtomicBoolean();

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

  /**
   * Returns a subscriber that passes the body to {@code downstream} and keeps a copy for {@code
   * sink}, as the constructor says.
   *
   * <p>The JDK's client completes a subscriber's body on its executor, a hand-off to another thread
   * for each response, unless the subscriber is one of its own. When {@code downstream} is one of
   * the JDK's subscribers that produce their body from the last bytes, the copy is wrapped in
   * {@link BodySubscribers#fromSubscriber}, which is one of the JDK's own and, on Java 17,
   * completes on the thread that delivered the last bytes: a stored miss then costs the client no
   * more hand-offs than the plain request. On later JDKs that adapter completes on the common pool,
   * one hand-off as before. Any other subscriber gets the copy unwrapped, so a body that is handed
   * out before it has arrived (a stream) still is.
   */
  static <T> BodySubscriber<T> of(
      BodySubscriber<T> downstream,
      int limit,
      long expectedLength,
      Consumer<byte[]> sink,
      Runnable abandoned) {
    TeeSubscriber<T> tee = new TeeSubscriber<>(downstream, limit, expectedLength, sink, abandoned);
    if (!COMPLETED_BY_THEIR_LAST_BYTES.contains(downstream.getClass().getName())) {
      return tee;
    }
    BodySubscriber<T> adapter = BodySubscribers.fromSubscriber(tee, TeeSubscriber::completedBody);
    // The adapter's body completes on onComplete or onError only. A subscriber that fails by
    // itself (ofFile, when its file cannot be opened or written) fails its body and cancels,
    // and may get neither: its failure is passed on to the adapter.
    downstream
        .getBody()
        .whenComplete(
            (body, failure) -> {
              if (failure != null) {
                adapter.onError(failure);
              }
            });
    return adapter;
  }

  /**
   * The body of {@code downstream}, which has completed: it is one of the subscribers that produce
   * it in {@code onComplete}. Its failure is thrown as it is, so that the client reports it as it
   * would without the copy.
   */
  private T completedBody() {
    try {
      return downstream.getBody().toCompletableFuture().join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      throw TeeSubscriber.<RuntimeException>unchecked(cause != null ? cause : e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E unchecked(Throwable failure) throws E {
    throw (E) failure;
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
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    // A body that failed half-way is never stored.
    abandoned.run();
    downstream.onError(throwable);
  }

  @Override
  public void onComplete() {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
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
