package dev.httpcache.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * An origin on a raw loopback socket that answers each request with bytes given in advance, exactly
 * as given (malformed or cut short included), and then closes the connection. A path has a script
 * for plain requests and, optionally, another for conditional ones ({@code If-None-Match} or {@code
 * If-Modified-Since}).
 */
final class RawOrigin implements AutoCloseable {
  private final ServerSocket server;
  private final ExecutorService pool = Executors.newCachedThreadPool(daemon());
  private final Map<String, byte[]> scripts = new ConcurrentHashMap<>();
  private final Map<String, byte[]> conditional = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

  RawOrigin() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "raw-origin-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return task -> {
      Thread thread = new Thread(task, "raw-origin");
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Answers requests for {@code path} with {@code response}, and conditional ones with the other.
   */
  void script(String path, byte[] response, byte @Nullable [] conditionalResponse) {
    scripts.put(path, response);
    if (conditionalResponse != null) {
      conditional.put(path, conditionalResponse);
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
  }

  int requests(String path) {
    AtomicInteger n = requests.get(path);
    return n == null ? 0 : n.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        pool.execute(() -> serve(socket));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(20_000);
      String head = readHead(socket.getInputStream());
      String[] requestLine = head.split("\r\n", 2)[0].split(" ");
      String path = requestLine.length > 1 ? requestLine[1] : "/";
      requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      String lower = head.toLowerCase(java.util.Locale.ROOT);
      boolean isConditional =
          lower.contains("\r\nif-none-match:") || lower.contains("\r\nif-modified-since:");
      byte[] answer = isConditional ? conditional.get(path) : null;
      if (answer == null) {
        answer = scripts.get(path);
      }
      if (answer == null) {
        answer =
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
      }
      OutputStream out = socket.getOutputStream();
      out.write(answer);
      out.flush();
      socket.shutdownOutput();
    } catch (IOException e) {
      // The client went away; nothing to do.
    }
  }

  /** Reads the request up to the blank line that ends its head (a GET has no body). */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (head.size() < 65_536) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
      if (matched == 4) {
        break;
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
    pool.shutdownNow();
  }
}
