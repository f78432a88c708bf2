package dev.httpcache.okhttp;

import dev.httpcache.HttpCache;
import dev.httpcache.scenarios.CacheScenarios;
import dev.httpcache.scenarios.ScenarioClient;

/** The shared scenarios through {@link CacheInterceptor}, with {@code Call.execute()}. */
final class CacheInterceptorScenariosTest extends CacheScenarios {
  @Override
  protected ScenarioClient client(HttpCache cache) {
    return OkHttpScenarioClient.cached(cache, false);
  }

  @Override
  protected ScenarioClient plainClient() {
    return OkHttpScenarioClient.plain();
  }
}
