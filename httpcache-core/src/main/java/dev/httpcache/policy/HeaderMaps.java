package dev.httpcache.policy;

import java.net.http.HttpHeaders;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Reading and combining header maps without the copies that the JDK's {@code HttpHeaders} API makes
 * on the way: {@link HttpHeaders#firstValue} builds a stream per call, and a merge into a {@code
 * TreeMap} before {@link HttpHeaders#of} sorts the lines twice. Thread-safe.
 */
final class HeaderMaps {
  private HeaderMaps() {}

  /** Returns the first value of a header, or {@code null}: {@code firstValue} without a stream. */
  static @Nullable String first(HttpHeaders headers, String name) {
    List<String> values = headers.map().get(name); // the map is case-insensitive
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * Returns {@code base} with the lines of {@code top} that {@code accepted} lets through in place
   * of base's lines of the same name (keeping base's spelling of the name), and top's other
   * accepted lines added: one sorted copy, the one {@link HttpHeaders#of} makes. Names are matched
   * in any case, by a scan of top's few lines rather than by lookups in a sorted map.
   *
   * @param base case-insensitive, as {@link HttpHeaders#map()} is
   * @param top with no two names that differ only in case
   */
  static HttpHeaders overlay(
      Map<String, List<String>> base, Map<String, List<String>> top, Predicate<String> accepted) {
    return HttpHeaders.of(new Overlay(base, top, accepted), (name, value) -> true);
  }

  /**
   * Whether two header maps hold the same lines, names compared in any case. Compares them in
   * iteration order, which for two {@link HttpHeaders} is the same sorted order; maps in different
   * orders are reported different, never the same.
   */
  static boolean sameLines(HttpHeaders a, HttpHeaders b) {
    if (a == b) {
      return true;
    }
    Map<String, List<String>> x = a.map();
    Map<String, List<String>> y = b.map();
    if (x.size() != y.size()) {
      return false;
    }
    Iterator<Map.Entry<String, List<String>>> i = x.entrySet().iterator();
    Iterator<Map.Entry<String, List<String>>> j = y.entrySet().iterator();
    while (i.hasNext() && j.hasNext()) {
      Map.Entry<String, List<String>> p = i.next();
      Map.Entry<String, List<String>> q = j.next();
      if (!p.getKey().equalsIgnoreCase(q.getKey()) || !p.getValue().equals(q.getValue())) {
        return false;
      }
    }
    return !i.hasNext() && !j.hasNext();
  }

  /**
   * A map read once, by {@link HttpHeaders#of}, that lists base's lines, top's accepted lines in
   * place of theirs, then top's other accepted lines. Not a general map: {@code get} and the like
   * go through {@link #entrySet()}, which lists the lines anew each time.
   */
  private static final class Overlay extends AbstractMap<String, List<String>> {
    private final Map<String, List<String>> base;
    private final String[] topNames;
    private final List<?>[] topValues;
    private final Predicate<String> accepted;

    Overlay(
        Map<String, List<String>> base, Map<String, List<String>> top, Predicate<String> accepted) {
      this.base = base;
      this.accepted = accepted;
      topNames = new String[top.size()];
      topValues = new List<?>[top.size()];
      int k = 0;
      for (Map.Entry<String, List<String>> line : top.entrySet()) {
        topNames[k] = line.getKey();
        topValues[k] = line.getValue();
        k++;
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super String, ? super List<String>> action) {
      boolean[] placed = new boolean[topNames.length];
      for (Map.Entry<String, List<String>> line : base.entrySet()) {
        String name = line.getKey();
        List<String> values = line.getValue();
        for (int k = 0; k < topNames.length; k++) {
          String other = topNames[k];
          if (other.length() == name.length() && other.equalsIgnoreCase(name)) {
            placed[k] = true;
            if (accepted.test(name)) {
              values = (List<String>) topValues[k];
            }
            break;
          }
        }
        action.accept(name, values);
      }
      for (int k = 0; k < topNames.length; k++) {
        if (!placed[k] && accepted.test(topNames[k])) {
          action.accept(topNames[k], (List<String>) topValues[k]);
        }
      }
    }

    @Override
    public Set<Map.Entry<String, List<String>>> entrySet() {
      List<Map.Entry<String, List<String>>> lines = new ArrayList<>(base.size() + topNames.length);
      forEach((name, values) -> lines.add(new AbstractMap.SimpleImmutableEntry<>(name, values)));
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, List<String>>> iterator() {
          return Collections.unmodifiableList(lines).iterator();
        }

        @Override
        public int size() {
          return lines.size();
        }
      };
    }
  }
}
