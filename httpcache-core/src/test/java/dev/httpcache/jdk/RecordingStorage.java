package dev.httpcache.jdk;

import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A storage that records which thread called it, around a real storage. */
final class RecordingStorage implements Storage {
  private final Storage delegate;
  private final List<String> threads;

  RecordingStorage(Storage delegate, List<String> threads) {
    this.delegate = delegate;
    this.threads = threads;
  }

  private void record() {
    threads.add(Thread.currentThread().getName());
  }

  @Override
  public Optional<byte[]> get(Namespace namespace, String key) throws IOException {
    record();
    return delegate.get(namespace, key);
  }

  @Override
  public void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires)
      throws IOException {
    record();
    delegate.put(namespace, key, value, expires);
  }

  @Override
  public boolean remove(Namespace namespace, String key) throws IOException {
    record();
    return delegate.remove(namespace, key);
  }

  @Override
  public List<String> keys(Namespace namespace) throws IOException {
    return delegate.keys(namespace);
  }

  @Override
  public long count(Namespace namespace) throws IOException {
    return delegate.count(namespace);
  }

  @Override
  public void clear() throws IOException {
    delegate.clear();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
