package dev.httpcache.scenarios;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
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
 * A real local origin on 127.0.0.1 (mockwebserver3) whose answers are functions of the request; it
 * records every request it saw and adds {@code X-Serial}, the count of requests for the path.
 */
final class ScenarioOrigin implements AutoCloseable {
  private final MockWebServer server = new MockWebServer();
  private final List<RecordedRequest> seen = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> perPath = new ConcurrentHashMap<>();
  private volatile Function<RecordedRequest, MockResponse> handler =
      r ->
          r.getMethod().equals("HEAD")
              ? new MockResponse.Builder().code(200).build() // a HEAD response has no body
              : new MockResponse.Builder().code(200).body("body of " + r.getTarget()).build();

  ScenarioOrigin() throws IOException {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            seen.add(request);
            int n =
                perPath
                    .computeIfAbsent(request.getUrl().encodedPath(), p -> new AtomicInteger())
                    .incrementAndGet();
            return new MockResponse.Builder(handler.apply(request))
                .setHeader("X-Serial", n)
                .build();
          }
        });
    server.start(java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0);
  }

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
    return new ArrayList<>(seen);
  }

  RecordedRequest lastRequest() {
    return seen.get(seen.size() - 1);
  }

  /** Returns the value of a header in the last request, or null. */
  @org.jspecify.annotations.Nullable
  String lastHeader(String name) {
    return lastRequest().getHeaders().get(name);
  }

  @Override
  public void close() {
    server.close();
  }
}
