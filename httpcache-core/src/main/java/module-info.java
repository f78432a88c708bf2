/** httpcache: a persistent, secure, RFC 9111 response cache for Java HTTP clients. */
module dev.httpcache {
  requires transitive java.net.http;
  requires java.sql;
  requires org.xerial.sqlitejdbc;
  requires static transitive org.jspecify;

  exports dev.httpcache;
  exports dev.httpcache.jdk;
  exports dev.httpcache.policy;
  exports dev.httpcache.codec;
  exports dev.httpcache.storage;
  exports dev.httpcache.model;
}
