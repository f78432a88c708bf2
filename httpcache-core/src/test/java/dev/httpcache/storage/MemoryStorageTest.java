package dev.httpcache.storage;

import dev.httpcache.storage.contract.StorageContract;

final class MemoryStorageTest extends StorageContract {
  @Override
  protected Storage open() {
    return Storage.inMemory();
  }
}
