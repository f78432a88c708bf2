/**
 * httpcache-okhttp: an OkHttp application interceptor over the httpcache engine. OkHttp 5's JVM
 * artifact ships a module descriptor ({@code okhttp3}), which reads okio and the Kotlin standard
 * library in turn.
 */
module dev.httpcache.okhttp {
  requires transitive dev.httpcache;
  requires transitive okhttp3;
  requires static org.jspecify;

  exports dev.httpcache.okhttp;
}
