package dev.httpcache;

import dev.httpcache.codec.CodecException;
import dev.httpcache.key.RequestKeys;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import dev.httpcache.policy.ExpireAfter;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Item;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * The inspection and maintenance operations of {@link HttpCache}: listing, deleting, re-expiring
 * and re-keying stored entries. Every pass goes through {@link Storage#scan}, so memory stays flat
 * whatever the number of entries; nothing here is on a request's path.
 */
final class Maintenance {
  private final HttpCache cache;
  private final Storage storage;

  Maintenance(HttpCache cache) {
    this.cache = cache;
    this.storage = cache.storage();
  }

  /** Decodes an entry for inspection: never throws, never deletes, never reports. */
  CacheEntry decode(Item item, byte[] bytes) {
    try {
      CachedResponse response =
          cache.codec().decode(item.key(), Entries.unframe(cache.codec(), bytes));
      return new CacheEntry(item.key(), item.size(), item.expires(), response, null, false);
    } catch (Entries.ForeignEntryException e) {
      return new CacheEntry(item.key(), item.size(), item.expires(), null, e.getMessage(), true);
    } catch (CodecException e) {
      return new CacheEntry(
          item.key(), item.size(), item.expires(), null, String.valueOf(e.getMessage()), false);
    } catch (IOException | RuntimeException e) {
      return new CacheEntry(
          item.key(), item.size(), item.expires(), null, "the codec failed: " + e, false);
    }
  }

  /** Reads and decodes the entry of {@code item}; empty when it went away in the meantime. */
  Optional<CacheEntry> read(Item item) throws IOException {
    Optional<byte[]> bytes = storage.get(Namespace.RESPONSES, item.key());
    return bytes.map(b -> decode(item, b));
  }

  /** Reads the entry under {@code key}, following a redirect alias; empty when there is none. */
  Optional<CacheEntry> entry(String key) throws IOException {
    String entryKey = key;
    Optional<byte[]> bytes = storage.get(Namespace.RESPONSES, key);
    if (bytes.isEmpty()) {
      Optional<byte[]> alias = storage.get(Namespace.REDIRECTS, key);
      if (alias.isEmpty()) {
        return Optional.empty();
      }
      entryKey = new String(alias.get(), StandardCharsets.US_ASCII);
      bytes = storage.get(Namespace.RESPONSES, entryKey);
      if (bytes.isEmpty()) {
        return Optional.empty();
      }
    }
    byte[] value = bytes.get();
    CacheEntry decoded = decode(new Item(entryKey, value.length, null), value);
    CachedResponse response = decoded.response().orElse(null);
    return Optional.of(
        new CacheEntry(
            entryKey,
            value.length,
            response == null ? null : response.expiresOrNull(),
            response,
            decoded.problem().orElse(null),
            decoded.isForeign()));
  }

  Stream<CacheEntry> entries(EntryFilter filter) {
    Instant now = cache.clock().instant();
    Storage.Cursor cursor;
    try {
      cursor = storage.scan(Namespace.RESPONSES);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the entries of " + storage, e);
    }
    Iterator<CacheEntry> iterator =
        new Iterator<>() {
          private @Nullable CacheEntry next;

          @Override
          public boolean hasNext() {
            try {
              while (next == null) {
                Optional<Item> item = cursor.next();
                if (item.isEmpty()) {
                  return false;
                }
                Optional<CacheEntry> entry = read(item.get());
                if (entry.isPresent() && filter.test(entry.get(), now)) {
                  next = entry.get();
                }
              }
              return true;
            } catch (IOException e) {
              throw new UncheckedIOException("cannot list the entries of " + storage, e);
            }
          }

          @Override
          public CacheEntry next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            CacheEntry entry = next;
            next = null;
            if (entry == null) {
              throw new NoSuchElementException();
            }
            return entry;
          }
        };
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(
                iterator, Spliterator.NONNULL | Spliterator.DISTINCT),
            false)
        .onClose(
            () -> {
              try {
                cursor.close();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  long delete(EntryFilter filter) throws IOException {
    Instant now = cache.clock().instant();
    long removed = 0;
    if (filter.isExpiredOnly()) {
      removed = storage.removeExpired(Namespace.RESPONSES, now);
    } else {
      try (Storage.Cursor cursor = storage.scan(Namespace.RESPONSES)) {
        for (Optional<Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
          Item it = item.get();
          Optional<CacheEntry> entry =
              filter.decodes()
                  ? read(it)
                  : Optional.of(
                      new CacheEntry(it.key(), it.size(), it.expires(), null, null, false));
          if (entry.isPresent()
              && filter.test(entry.get(), now)
              && storage.remove(Namespace.RESPONSES, it.key())) {
            removed++;
          }
        }
      }
    }
    pruneAliases();
    return removed;
  }

  long deleteKeys(Collection<String> keys) throws IOException {
    long removed = 0;
    for (String key : keys) {
      boolean response = storage.remove(Namespace.RESPONSES, key);
      boolean alias = storage.remove(Namespace.REDIRECTS, key);
      if (response || alias) {
        removed++;
      }
    }
    pruneAliases();
    return removed;
  }

  long deleteUrls(Collection<URI> urls) throws IOException {
    List<String> keys = new ArrayList<>();
    for (URI url : urls) {
      for (String method : List.of("GET", "HEAD")) {
        keys.add(cache.key(CachedRequest.ofOwned(method, url, HttpCache.NO_HEADERS, new byte[0])));
      }
    }
    return deleteKeys(keys);
  }

  long deleteRequests(Collection<CachedRequest> requests) throws IOException {
    List<String> keys = new ArrayList<>();
    for (CachedRequest request : requests) {
      keys.add(cache.key(request));
    }
    return deleteKeys(keys);
  }

  /** Removes redirect aliases whose entry is gone; returns how many. */
  long pruneAliases() throws IOException {
    List<String> dangling = new ArrayList<>();
    try (Storage.Cursor cursor = storage.scan(Namespace.REDIRECTS)) {
      for (Optional<Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
        String alias = item.get().key();
        Optional<byte[]> target = storage.get(Namespace.REDIRECTS, alias);
        if (target.isPresent()
            && storage
                .get(Namespace.RESPONSES, new String(target.get(), StandardCharsets.US_ASCII))
                .isEmpty()) {
          dangling.add(alias);
        }
      }
    }
    for (String alias : dangling) {
      storage.remove(Namespace.REDIRECTS, alias);
    }
    return dangling.size();
  }

  List<URI> urls() {
    TreeSet<URI> urls = new TreeSet<>();
    try (Stream<CacheEntry> all = entries(EntryFilter.all())) {
      all.forEach(e -> e.response().ifPresent(r -> urls.add(r.uri())));
    }
    return List.copyOf(urls);
  }

  long resetExpiration(ExpireAfter expireAfter) throws IOException {
    if (expireAfter.isFromHeaders() || expireAfter.isDoNotCache()) {
      throw new IllegalArgumentException(
          "resetExpiration needs a duration, NEVER_EXPIRE, EXPIRE_IMMEDIATELY or a time, not "
              + expireAfter);
    }
    Instant now = cache.clock().instant();
    @Nullable Instant expires = expireAfter.expiresAt(now);
    long changed = 0;
    try (Storage.Cursor cursor = storage.scan(Namespace.RESPONSES)) {
      for (Optional<Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
        Optional<CacheEntry> entry = read(item.get());
        if (entry.isEmpty() || entry.get().response().isEmpty()) {
          continue;
        }
        CachedResponse response = entry.get().response().get();
        rewrite(item.get().key(), response.toBuilder().expires(expires).build());
        changed++;
      }
    }
    return changed;
  }

  /**
   * Moves every entry to the key the current settings give its stored request. An entry whose key
   * depends on the value of a secret header (matched and ignored: keyed by an HMAC of a value that
   * storage never held) cannot be re-keyed and stays where it is; were it moved under a key made
   * from the redacted value, it would answer every user's request.
   */
  long recreateKeys() throws IOException {
    RequestKeys keys = cache.keys();
    long moved = 0;
    try (Storage.Cursor cursor = storage.scan(Namespace.RESPONSES)) {
      for (Optional<Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
        String oldKey = item.get().key();
        Optional<byte[]> bytes = storage.get(Namespace.RESPONSES, oldKey);
        if (bytes.isEmpty()) {
          continue;
        }
        CacheEntry entry = decode(item.get(), bytes.get());
        if (entry.response().isEmpty()) {
          continue; // undecodable or another codec's: left for delete(undecodable()) or its owner
        }
        CachedResponse response = entry.response().get();
        CachedRequest request = response.request();
        if (keyedBySecret(request)) {
          continue; // its key came from a secret's value that storage never held: left in place
        }
        String newKey = cache.key(request);
        List<String> vary = RequestKeys.varyNames(response.headers());
        if (!newKey.equals(oldKey) && !vary.isEmpty() && !vary.contains("*")) {
          Optional<byte[]> occupant = storage.get(Namespace.RESPONSES, newKey);
          if (occupant.isPresent() && !Arrays.equals(occupant.get(), bytes.get())) {
            newKey = keys.variantKey(newKey, vary, request);
          }
        }
        if (newKey.equals(oldKey)) {
          continue;
        }
        rewrite(newKey, response);
        storage.remove(Namespace.RESPONSES, oldKey);
        if (!response.uri().equals(request.uri())) {
          String alias = cache.key(CachedRequest.get(response.uri()));
          if (!alias.equals(newKey)) {
            storage.put(
                Namespace.REDIRECTS,
                alias,
                newKey.getBytes(StandardCharsets.US_ASCII),
                response.expiresOrNull());
          }
        }
        moved++;
      }
    }
    pruneAliases();
    return moved;
  }

  private boolean keyedBySecret(CachedRequest request) {
    for (String name : request.headers().map().keySet()) {
      if (cache.keys().matches(name) && cache.redactor().isIgnored(name)) {
        return true;
      }
    }
    return false;
  }

  /** Encodes {@code response} under {@code key} and stores it, without telling the listener. */
  private void rewrite(String key, CachedResponse response) throws IOException {
    byte[] bytes = Entries.frame(cache.codec().name(), cache.codec().encode(key, response));
    storage.put(Namespace.RESPONSES, key, bytes, response.expiresOrNull());
  }
}
