/**
 * The {@code httpcache} command: {@code demo} and {@code get}. It exports nothing; picocli reads
 * its commands reflectively, so their package is open to it.
 */
module dev.httpcache.cli {
  requires dev.httpcache;
  requires dev.httpcache.okhttp;
  requires info.picocli;
  requires java.logging;
  requires java.net.http;
  requires jdk.httpserver;
  requires static org.jspecify;

  opens dev.httpcache.cli to
      info.picocli;
}
