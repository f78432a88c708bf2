package dev.httpcache.jdk;

import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A storage whose every operation fails, as a storage that went away does. */
final class BrokenStorage implements Storage {
  @Override
  public Optional<byte[]> get(Namespace namespace, String key) throws IOException {
    throw new IOException("storage is down");
  }

  @Override
  public void put(Namespace namespace, String key, byte[] value, @Nullable Instant expires)
      throws IOException {
    throw new IOException("storage is down");
  }

  @Override
  public boolean remove(Namespace namespace, String key) throws IOException {
    throw new IOException("storage is down");
  }

  @Override
  public List<String> keys(Namespace namespace) throws IOException {
    throw new IOException("storage is down");
  }

  @Override
  public long count(Namespace namespace) throws IOException {
    throw new IOException("storage is down");
  }

  @Override
  public void clear() throws IOException {
    throw new IOException("storage is down");
  }

  @Override
  public void close() {}
}
