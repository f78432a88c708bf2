/**
 * The {@code httpcache} command: {@code demo}, {@code get}, the inspection and maintenance commands
 * ({@code ls}, {@code show}, {@code rm}, {@code purge}, {@code stats}, {@code export}, {@code
 * import}), {@code keygen} and {@code proxy}. It exports nothing; picocli reads its commands
 * reflectively, so their package is open to it.
 */
module dev.httpcache.cli {
  requires dev.httpcache;
  requires dev.httpcache.jackson;
  requires dev.httpcache.redis;
  requires com.fasterxml.jackson.core;
  requires dev.httpcache.okhttp;
  requires info.picocli;
  requires me.tongfei.progressbar;
  requires java.logging;
  requires java.net.http;
  requires jdk.httpserver;
  requires static org.jspecify;

  opens dev.httpcache.cli to
      info.picocli;
}
