package dev.httpcache.redis;

import dev.httpcache.CacheListener;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A listener that keeps the storage faults it hears, and counts hits and stores. */
final class FaultLog implements CacheListener {
  final List<String> faults = new CopyOnWriteArrayList<>();
  final AtomicInteger hits = new AtomicInteger();
  final AtomicInteger stored = new AtomicInteger();

  @Override
  public void onStorageFault(String operation, IOException error) {
    faults.add(operation + ": " + error.getMessage());
  }

  @Override
  public void onHit(String key) {
    hits.incrementAndGet();
  }

  @Override
  public void onStored(String key, int bodyBytes) {
    stored.incrementAndGet();
  }
}
