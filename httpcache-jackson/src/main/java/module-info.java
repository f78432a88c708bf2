/**
 * httpcache-jackson: JSON, YAML and CBOR entry codecs for httpcache, on Jackson's streaming API.
 */
module dev.httpcache.jackson {
  requires transitive dev.httpcache;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires com.fasterxml.jackson.dataformat.cbor;
  requires org.yaml.snakeyaml;
  requires static org.jspecify;

  exports dev.httpcache.jackson;
}
