package dev.httpcache.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code httpcache proxy} run as the command, in this JVM, and stopped by an interrupt. */
final class ProxyCommandTest {
  private static final Pattern LISTENING =
      Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+) .*");

  @StartStop private final MockWebServer origin = new MockWebServer();
  private final AtomicInteger served = new AtomicInteger();
  private final HttpClient client = HttpClient.newHttpClient();

  @TempDir Path dir;

  ProxyCommandTest() {
    origin.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            served.incrementAndGet();
            return new MockResponse.Builder()
                .code(200)
                .setHeader("Cache-Control", "private, max-age=3600")
                .body("mine")
                .build();
          }
        });
  }

  private String originUrl() {
    return "http://127.0.0.1:" + origin.getPort();
  }

  /** The command running on a thread of its own; {@link #stop()} interrupts it. */
  private static final class Running {
    final Thread thread;
    final URI uri;
    final String firstLine;
    final int[] status = {-1};

    Running(String... args) throws IOException {
      PipedInputStream in = new PipedInputStream();
      PipedOutputStream err = new PipedOutputStream(in);
      List<String> all = new ArrayList<>(List.of("proxy"));
      all.addAll(List.of(args));
      thread =
          new Thread(
              () ->
                  status[0] =
                      Main.run(
                          new ByteArrayOutputStream(), err, UTF_8, all.toArray(String[]::new)));
      thread.start();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, UTF_8));
      firstLine = String.valueOf(reader.readLine());
      Matcher m = LISTENING.matcher(firstLine);
      assertThat(m.matches()).as(firstLine).isTrue();
      uri = URI.create(m.group(1));
    }

    int stop() throws InterruptedException {
      thread.interrupt();
      thread.join();
      return status[0];
    }
  }

  private int fetchTwice(Running proxy) throws IOException, InterruptedException {
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(proxy.uri.resolve("/p")).build(), BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("mine");
    }
    return served.get();
  }

  @Test
  void aPrivateProxyStoresAPrivateResponseAndStopsWhenInterrupted()
      throws IOException, InterruptedException {
    Running proxy = new Running("--origin", originUrl());

    int originRequests = fetchTwice(proxy);

    assertThat(proxy.firstLine).endsWith("(origin " + originUrl() + ", private cache in memory)");
    assertThat(originRequests).isEqualTo(1);
    assertThat(proxy.stop()).isZero();
  }

  @Test
  void aSharedProxyDoesNotStoreAPrivateResponse() throws IOException, InterruptedException {
    Path file = dir.resolve("proxy.sqlite");
    Running proxy = new Running("--origin", originUrl(), "--shared", "--cache", file.toString());

    int originRequests = fetchTwice(proxy);

    assertThat(proxy.firstLine)
        .endsWith("(origin " + originUrl() + ", shared cache in " + file.toAbsolutePath() + ")");
    assertThat(originRequests).isEqualTo(2);
    assertThat(proxy.stop()).isZero();
  }

  @Test
  void aBusyPortFailsWithOneLine() throws IOException {
    try (ServerSocket busy =
        new ServerSocket(0, 1, java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
      Cli.Result result =
          Cli.run(
              "proxy", "--origin", originUrl(), "--listen", String.valueOf(busy.getLocalPort()));

      assertThat(result.status()).isEqualTo(1);
      assertThat(result.errLines())
          .singleElement()
          .asString()
          .startsWith("httpcache: cannot listen on 127.0.0.1:" + busy.getLocalPort() + ": ");
    }
  }

  @Test
  void badUsageFailsWithOneLine() {
    List<List<String>> bad =
        List.of(
            List.of(),
            List.of("--origin", "127.0.0.1:8000"),
            List.of("--origin", "ftp://127.0.0.1/"),
            List.of("--origin", "http://127.0.0.1:8000/?q=1"),
            List.of("--origin", originUrl(), "--listen", "70000"),
            List.of("--origin", originUrl(), "--listen", "x"),
            List.of("--origin", originUrl(), "--memory", "--cache", "c.sqlite"));
    for (List<String> options : bad) {
      List<String> args = new ArrayList<>(List.of("proxy"));
      args.addAll(options);

      Cli.Result result = Cli.run(args.toArray(String[]::new));

      assertThat(result.status()).as("%s", options).isEqualTo(2);
      assertThat(result.errLines()).as("%s", options).hasSize(1);
      assertThat(result.err()).as("%s", options).startsWith("httpcache: ");
    }
    assertThat(served).hasValue(0);
  }

  @Test
  void helpListsEveryOption() {
    Cli.Result result = Cli.run("proxy", "--help");

    assertThat(result.status()).isZero();
    assertThat(result.out())
        .contains(
            "--origin=URL",
            "--listen=PORT",
            "--shared",
            "--memory",
            "--cache=PATH",
            "-v, --verbose");
  }
}
