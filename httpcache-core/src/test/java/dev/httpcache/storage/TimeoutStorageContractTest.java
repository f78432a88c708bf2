package dev.httpcache.storage;

import dev.httpcache.storage.contract.StorageContract;
import java.time.Duration;

/** Storage.withTimeout over the memory storage keeps every promise of the storage contract. */
final class TimeoutStorageContractTest extends StorageContract {
  @Override
  protected Storage open() {
    return Storage.withTimeout(Storage.inMemory(), Duration.ofSeconds(30));
  }
}
