package dev.httpcache.storage;

final class MemoryStorageTest extends StorageContract {
  @Override
  Storage open() {
    return Storage.inMemory();
  }
}
