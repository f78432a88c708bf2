package dev.httpcache.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.httpcache.HttpCache;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Item;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code httpcache export FILE}: writes every entry and alias, as stored, to a JSON Lines file that
 * {@code import} reads into any storage.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    versionProvider = HttpcacheCommand.Version.class,
    sortOptions = false,
    description = {
      "Writes every entry and redirect alias of the cache, as stored (signed and encrypted",
      "entries stay so), to FILE: JSON Lines, gzip-compressed when FILE ends in .gz; - writes",
      "to standard output. 'httpcache import FILE' reads it into any storage."
    })
final class ExportCommand implements Callable<Integer> {
  /** The first line of an export. */
  static final String FORMAT = "httpcache-export";

  static final int VERSION = 1;

  private final Io io;
  private final UnaryOperator<@Nullable String> environment;

  @Parameters(index = "0", paramLabel = "FILE", description = "Where to write, or - .")
  private String file = "-";

  @Mixin private CacheOption cache = new CacheOption();

  ExportCommand(Io io, UnaryOperator<@Nullable String> environment) {
    this.io = io;
    this.environment = environment;
  }

  @Override
  public Integer call() {
    Reporter reporter = new Reporter(io);
    long written;
    try (HttpCache httpCache = reporter.open(cache, environment)) {
      if (file.equals("-")) {
        Writer writer = new OutputStreamWriter(io.rawOut(), StandardCharsets.UTF_8);
        written = export(httpCache.storage(), writer);
        writer.flush();
      } else {
        written = exportToFile(httpCache.storage(), Path.of(file));
      }
    } catch (IOException e) {
      throw CommandFailure.failure(
          "cannot export " + cache.describe() + " to " + file + ": " + Errors.message(e));
    }
    io.err().println("exported " + written + (written == 1 ? " value" : " values"));
    return 0;
  }

  /** Writes to a temporary file beside {@code target}, then renames it: no half-written export. */
  private static long exportToFile(Storage storage, Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path folder = absolute.getParent();
    if (folder != null) {
      Files.createDirectories(folder);
    }
    Path temporary =
        Files.createTempFile(folder == null ? Path.of(".") : folder, ".httpcache-export", ".tmp");
    try {
      long written;
      try (OutputStream raw = Files.newOutputStream(temporary);
          OutputStream out =
              target.toString().toLowerCase(Locale.ROOT).endsWith(".gz")
                  ? new GZIPOutputStream(raw)
                  : raw;
          Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
        written = export(storage, writer);
      }
      Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      return written;
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static long export(Storage storage, Writer writer) throws IOException {
    long total = storage.count(Namespace.RESPONSES) + storage.count(Namespace.REDIRECTS);
    long written = 0;
    try (Progress progress = Progress.start("export", total);
        JsonGenerator g = Json.generator(writer)) {
      g.writeStartObject();
      g.writeStringField("format", FORMAT);
      g.writeNumberField("version", VERSION);
      g.writeEndObject();
      g.writeRaw('\n');
      for (Namespace namespace : Namespace.values()) {
        try (Storage.Cursor cursor = storage.scan(namespace)) {
          for (Optional<Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
            Optional<byte[]> value = storage.get(namespace, item.get().key());
            if (value.isEmpty()) {
              continue; // removed since the scan saw it
            }
            g.writeStartObject();
            g.writeStringField("namespace", namespace.name().toLowerCase(Locale.ROOT));
            g.writeStringField("key", item.get().key());
            g.writeStringField(
                "expires", item.get().expires() == null ? null : item.get().expires().toString());
            g.writeFieldName("value");
            g.writeBinary(value.get());
            g.writeEndObject();
            g.writeRaw('\n');
            written++;
            progress.step();
          }
        }
      }
    }
    return written;
  }
}
