package dev.httpcache.policy;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What was read from the texts met last, kept by the hash of the text in 32 slots: a stored
 * response's headers are read again on each use, and a server repeats its {@code Date} for a second
 * and its {@code Cache-Control} for ever, so most texts are met again. A slot holds an immutable
 * pair, which reaches other threads through its final fields; a race between two writers of one
 * slot loses only a memo. The values kept must never change.
 *
 * @param <V> what a text is read as
 */
final class RecentTexts<V> {
  private static final int SLOTS = 32;

  private final int maxLength;
  private final @Nullable Pair<?>[] slots = new Pair<?>[SLOTS];

  /** Keeps what is read from texts of up to {@code maxLength} characters. */
  RecentTexts(int maxLength) {
    this.maxLength = maxLength;
  }

  private static final class Pair<V> {
    final String text;
    final V value;

    Pair(String text, V value) {
      this.text = text;
      this.value = value;
    }
  }

  /**
   * Returns {@code read} of {@code text}, from the memo when the text was met lately. A null result
   * is not kept, nor is anything read from a text longer than the limit.
   */
  @SuppressWarnings("unchecked")
  @Nullable V get(String text, Function<String, @Nullable V> read) {
    if (text.length() > maxLength) {
      return read.apply(text);
    }
    int slot = text.hashCode() & (SLOTS - 1);
    Pair<?> recent = slots[slot];
    if (recent != null && recent.text.equals(text)) {
      return (V) recent.value;
    }
    V value = read.apply(text);
    if (value != null) {
      slots[slot] = new Pair<>(text, value);
    }
    return value;
  }
}
