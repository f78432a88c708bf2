package dev.httpcache.jdk;

import dev.httpcache.HttpCache;
import dev.httpcache.scenarios.CacheScenarios;
import dev.httpcache.scenarios.ScenarioClient;

/** The shared scenarios through {@link CachedHttpClient#sendAsync}, waited for. */
final class CachedHttpClientAsyncScenariosTest extends CacheScenarios {
  @Override
  protected ScenarioClient client(HttpCache cache) {
    return JdkScenarioClient.cached(cache, true);
  }

  @Override
  protected ScenarioClient plainClient() {
    return JdkScenarioClient.plain();
  }
}
