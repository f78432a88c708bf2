package dev.httpcache.jdk;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient.Version;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.ResponseInfo;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Replaying stored bodies into the caller's handlers, and what follows them. */
final class BodiesTest {
  private static final ResponseInfo INFO =
      new ResponseInfo() {
        @Override
        public int statusCode() {
          return 200;
        }

        @Override
        public HttpHeaders headers() {
          return HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        @Override
        public Version version() {
          return Version.HTTP_1_1;
        }
      };

  /**
   * A replayed body has completed by the time the JDK's subscriber returns it. What follows it is
   * then a plain completed future, not another stage of the JDK's own futures, each of which takes
   * a number from a counter that every thread shares.
   */
  @Test
  void whatFollowsABodyThatHasCompletedIsAPlainCompletedFuture() throws Exception {
    CompletableFuture<String> body =
        Bodies.replay(BodyHandlers.ofString(), INFO, "stored".getBytes(UTF_8));
    assertThat(body).isCompleted();
    assertThat(body.getClass()).isNotEqualTo(CompletableFuture.class); // the JDK's own kind

    CompletableFuture<Integer> length = Bodies.then(body, String::length);

    assertThat(length.getClass()).isEqualTo(CompletableFuture.class);
    assertThat(length.get()).isEqualTo(6);
  }

  @Test
  void whatFollowsABodyStillToComeWaitsForIt() throws Exception {
    CompletableFuture<String> body = new CompletableFuture<>();

    CompletableFuture<Integer> length = Bodies.then(body, String::length);

    assertThat(length).isNotDone();
    body.complete("later");
    assertThat(length.get()).isEqualTo(5);
  }

  @Test
  @Timeout(10)
  void aFailureOfTheBodyOrOfWhatFollowsFailsTheResult() {
    IllegalStateException broken = new IllegalStateException("broken body");
    CompletableFuture<Integer> failedBody =
        Bodies.then(CompletableFuture.<String>failedFuture(broken), String::length);
    assertThatThrownBy(failedBody::get).isInstanceOf(ExecutionException.class).hasCause(broken);

    IllegalArgumentException thrown = new IllegalArgumentException("cannot follow");
    CompletableFuture<Integer> failedStep =
        Bodies.then(
            Bodies.replay(BodyHandlers.replacing("done"), INFO, new byte[0]),
            ignored -> {
              throw thrown;
            });
    assertThatThrownBy(failedStep::get).isInstanceOf(ExecutionException.class).hasCause(thrown);
  }
}
