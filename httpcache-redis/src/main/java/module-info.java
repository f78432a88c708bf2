/** httpcache-redis: a Redis storage for httpcache (standalone, Sentinel, Cluster), on Jedis. */
module dev.httpcache.redis {
  requires transitive dev.httpcache;
  requires redis.clients.jedis;
  requires org.apache.commons.pool2;
  requires static org.jspecify;

  exports dev.httpcache.redis;
}
