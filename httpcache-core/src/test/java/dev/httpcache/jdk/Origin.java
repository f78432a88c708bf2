package dev.httpcache.jdk;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A real local origin (mockwebserver3) whose answers are functions of the request, and which
 * records every request it saw.
 */
final class Origin implements AutoCloseable {
  private final MockWebServer server = new MockWebServer();
  private final List<RecordedRequest> seen = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> perPath = new ConcurrentHashMap<>();
  private volatile Function<RecordedRequest, MockResponse> handler =
      r ->
          "HEAD".equals(r.getMethod())
              // a body after a HEAD answer would be read as the next response on the connection
              ? new MockResponse.Builder().code(200).build()
              : new MockResponse.Builder().code(200).body("body of " + r.getTarget()).build();

  Origin() throws IOException {
    this(true);
  }

  /** An origin that adds an {@code X-Serial} header, counting requests per path, when asked. */
  Origin(boolean serial) throws IOException {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            seen.add(request);
            int n =
                perPath
                    .computeIfAbsent(request.getUrl().encodedPath(), p -> new AtomicInteger())
                    .incrementAndGet();
            MockResponse response = handler.apply(request);
            return serial
                ? new MockResponse.Builder(response).setHeader("X-Serial", n).build()
                : response;
          }
        });
    server.start();
  }

  /** Sets how the origin answers. */
  void answer(Function<RecordedRequest, MockResponse> handler) {
    this.handler = handler;
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.getPort() + pathAndQuery);
  }

  int port() {
    return server.getPort();
  }

  int requestCount() {
    return seen.size();
  }

  List<RecordedRequest> requests() {
    return seen;
  }

  RecordedRequest lastRequest() {
    return seen.get(seen.size() - 1);
  }

  @Override
  public void close() {
    server.close();
  }
}
