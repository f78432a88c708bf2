package dev.httpcache.jdk;

import dev.httpcache.CacheListener;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A listener that records undecodable entries and storage faults, as "undecodable KEY", "fault OP".
 */
final class FaultLog implements CacheListener {
  final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public void onUndecodable(String key, IOException error) {
    events.add("undecodable " + key);
  }

  @Override
  public void onStorageFault(String operation, IOException error) {
    events.add("fault " + operation);
  }
}
