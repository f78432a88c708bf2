package dev.httpcache.jdk;

import dev.httpcache.HttpCache;
import dev.httpcache.scenarios.CacheScenarios;
import dev.httpcache.scenarios.ScenarioClient;

/** The shared scenarios through {@link CachedHttpClient#send}. */
final class CachedHttpClientScenariosTest extends CacheScenarios {
  @Override
  protected ScenarioClient client(HttpCache cache) {
    return JdkScenarioClient.cached(cache, false);
  }

  @Override
  protected ScenarioClient plainClient() {
    return JdkScenarioClient.plain();
  }
}
