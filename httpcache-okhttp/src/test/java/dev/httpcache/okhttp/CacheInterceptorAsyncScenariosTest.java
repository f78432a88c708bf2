package dev.httpcache.okhttp;

import dev.httpcache.HttpCache;
import dev.httpcache.scenarios.CacheScenarios;
import dev.httpcache.scenarios.ScenarioClient;

/**
 * The shared scenarios through {@link CacheInterceptor}, with {@code Call.enqueue()}: the cache
 * runs on OkHttp's dispatcher threads.
 */
final class CacheInterceptorAsyncScenariosTest extends CacheScenarios {
  @Override
  protected ScenarioClient client(HttpCache cache) {
    return OkHttpScenarioClient.cached(cache, true);
  }

  @Override
  protected ScenarioClient plainClient() {
    return OkHttpScenarioClient.plain();
  }
}
