package dev.httpcache.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.httpcache.HttpCache;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code httpcache import FILE}: reads what {@code export} wrote into the cache's storage. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    versionProvider = HttpcacheCommand.Version.class,
    sortOptions = false,
    description = {
      "Reads an export (JSON Lines, gzip-compressed when FILE ends in .gz; - reads standard",
      "input) into the cache, replacing values under the same keys. A bad line stops the",
      "import with its line number; the lines before it stay imported."
    })
final class ImportCommand implements Callable<Integer> {
  private final Io io;
  private final UnaryOperator<@Nullable String> environment;
  private final InputStream stdin;

  @Parameters(index = "0", paramLabel = "FILE", description = "What to read, or - .")
  private String file = "-";

  @Mixin private CacheOption cache = new CacheOption();

  ImportCommand(Io io, UnaryOperator<@Nullable String> environment, InputStream stdin) {
    this.io = io;
    this.environment = environment;
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    Reporter reporter = new Reporter(io);
    long imported = 0;
    try (HttpCache httpCache = reporter.open(cache, environment);
        InputStream in = open()) {
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      imported = read(reader, httpCache.storage());
    } catch (BadLine e) {
      io.err().println("imported " + e.imported + " values before the bad line");
      throw CommandFailure.failure(file + ": " + e.getMessage());
    } catch (IOException e) {
      throw CommandFailure.failure(
          "cannot import " + file + " into " + cache.describe() + ": " + Errors.message(e));
    }
    io.err().println("imported " + imported + (imported == 1 ? " value" : " values"));
    return 0;
  }

  private InputStream open() throws IOException {
    if (file.equals("-")) {
      return stdin;
    }
    InputStream raw = Files.newInputStream(Path.of(file));
    return file.toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(raw) : raw;
  }

  /** A line that is not part of an export. */
  static final class BadLine extends IOException {
    private static final long serialVersionUID = 1L;
    final long imported;

    BadLine(long line, String message, long imported) {
      super("line " + line + ": " + message);
      this.imported = imported;
    }
  }

  private static long read(BufferedReader reader, Storage storage) throws IOException {
    long imported = 0;
    long number = 0;
    boolean header = false;
    try (Progress progress = Progress.start("import", -1)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try (JsonParser p = Json.FACTORY.createParser(line)) {
          if (!header) {
            checkHeader(p);
            header = true;
            continue;
          }
          Value value = value(p);
          storage.put(value.namespace, value.key, value.bytes, value.expires);
          imported++;
          progress.step();
        } catch (StreamReadException e) {
          throw new BadLine(number, "bad JSON or base64: " + e.getOriginalMessage(), imported);
        } catch (IllegalArgumentException e) {
          throw new BadLine(number, Errors.oneLine(e.getMessage()), imported);
        }
      }
    }
    if (!header) {
      throw new BadLine(number + 1, "the file is empty; expected an httpcache export", imported);
    }
    return imported;
  }

  private static void checkHeader(JsonParser p) throws IOException {
    String format = null;
    int version = -1;
    expect(p.nextToken(), JsonToken.START_OBJECT);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken token = p.nextToken();
      if ("format".equals(name) && token == JsonToken.VALUE_STRING) {
        format = p.getText();
      } else if ("version".equals(name) && token == JsonToken.VALUE_NUMBER_INT) {
        version = p.getIntValue();
      } else {
        p.skipChildren();
      }
    }
    if (!ExportCommand.FORMAT.equals(format)) {
      throw new IllegalArgumentException("not an httpcache export (no format header)");
    }
    if (version != ExportCommand.VERSION) {
      throw new IllegalArgumentException(
          "export version " + version + "; this httpcache reads version " + ExportCommand.VERSION);
    }
  }

  private record Value(Namespace namespace, String key, byte[] bytes, @Nullable Instant expires) {}

  private static Value value(JsonParser p) throws IOException {
    Namespace namespace = null;
    String key = null;
    byte[] bytes = null;
    Instant expires = null;
    expect(p.nextToken(), JsonToken.START_OBJECT);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken token = p.nextToken();
      switch (name) {
        case "namespace":
          namespace = namespace(token == JsonToken.VALUE_STRING ? p.getText() : "");
          break;
        case "key":
          if (token != JsonToken.VALUE_STRING || p.getText().isEmpty()) {
            throw new IllegalArgumentException("key must be a non-empty string");
          }
          key = p.getText();
          break;
        case "expires":
          if (token == JsonToken.VALUE_STRING) {
            try {
              expires = Instant.parse(p.getText());
            } catch (DateTimeParseException e) {
              throw new IllegalArgumentException("expires is not an ISO-8601 instant");
            }
          } else if (token != JsonToken.VALUE_NULL) {
            throw new IllegalArgumentException("expires must be a string or null");
          }
          break;
        case "value":
          if (token != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("value must be a base64 string");
          }
          bytes = p.getBinaryValue();
          break;
        default:
          p.skipChildren();
      }
    }
    if (namespace == null || key == null || bytes == null) {
      throw new IllegalArgumentException("needs namespace, key and value");
    }
    return new Value(namespace, key, bytes, expires);
  }

  private static Namespace namespace(String name) {
    switch (name) {
      case "responses":
        return Namespace.RESPONSES;
      case "redirects":
        return Namespace.REDIRECTS;
      default:
        throw new IllegalArgumentException(
            "namespace must be responses or redirects, not '" + name + "'");
    }
  }

  private static void expect(@Nullable JsonToken actual, JsonToken expected) {
    if (actual != expected) {
      throw new IllegalArgumentException("expected a JSON object");
    }
  }
}
