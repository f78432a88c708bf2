package dev.httpcache.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Documented examples and the tests that run them: the lines between {@code // [name]} and {@code
 * // [/name]} in a test's source, and the fenced code block after {@code <!-- example: name -->} in
 * a page of docs/, each without its common indentation. In the core test jar, for the tests of
 * every module that shows an example.
 */
public final class Snippets {
  private Snippets() {}

  /** Returns the example {@code name} from the source of {@code test}, in the running module. */
  public static String inSource(Class<?> test, String name) throws IOException {
    Path source =
        Path.of(
            "src/test/java", test.getName().replace('.', '/').replaceAll("\\$.*", "") + ".java");
    List<String> lines = Files.readAllLines(source, UTF_8);
    int start = indexOf(lines, "// [" + name + "]", 0, source);
    int end = indexOf(lines, "// [/" + name + "]", start, source);
    return dedent(lines.subList(start + 1, end));
  }

  /** Returns the code block of example {@code name} in {@code page}, relative to the root. */
  public static String inDocs(String page, String name) throws IOException {
    Path doc = root().resolve(page);
    List<String> lines = Files.readAllLines(doc, UTF_8);
    int marker = indexOf(lines, "<!-- example: " + name + " -->", 0, doc);
    int open = indexOf(lines, "```java", marker, doc);
    int close = indexOf(lines, "```", open + 1, doc);
    return dedent(lines.subList(open + 1, close));
  }

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no docs/ above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  private static int indexOf(List<String> lines, String marker, int from, Path file) {
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(marker)) {
        return i;
      }
    }
    throw new IllegalStateException("no line '" + marker + "' in " + file);
  }

  private static String dedent(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(line.isBlank() ? "" : line.substring(indent));
    }
    return String.join("\n", out);
  }
}
