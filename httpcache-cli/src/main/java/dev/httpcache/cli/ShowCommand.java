package dev.httpcache.cli;

import dev.httpcache.CacheEntry;
import dev.httpcache.HttpCache;
import dev.httpcache.model.CachedResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code httpcache show KEY|URL}: prints one stored response, its metadata, headers and body. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    versionProvider = HttpcacheCommand.Version.class,
    sortOptions = false,
    description = {
      "Prints a stored response: key, URL, status, times, the request, the headers and the body.",
      "KEY may be the start of a key as ls prints it; a URL stands for a GET of it."
    })
final class ShowCommand implements Callable<Integer> {
  private final Io io;
  private final UnaryOperator<@Nullable String> environment;

  @Parameters(index = "0", paramLabel = "KEY|URL", description = "The entry's key, or a URL.")
  private String target = "";

  @Mixin private CacheOption cache = new CacheOption();

  @Option(
      names = "--body",
      description = "Write only the body, as stored, to standard output (for a pipe or a file).")
  private boolean bodyOnly;

  ShowCommand(Io io, UnaryOperator<@Nullable String> environment) {
    this.io = io;
    this.environment = environment;
  }

  @Override
  public Integer call() {
    Reporter reporter = new Reporter(io);
    CacheEntry entry;
    Instant now;
    try (HttpCache httpCache = reporter.open(cache, environment)) {
      String key = Entries.resolve(httpCache, target);
      Optional<CacheEntry> found = httpCache.entry(key);
      if (found.isEmpty()) {
        throw CommandFailure.failure("nothing is stored under " + target);
      }
      entry = found.get();
      now = httpCache.clock().instant();
    } catch (IOException e) {
      throw CommandFailure.failure("cannot read " + cache.describe() + ": " + Errors.message(e));
    }
    CachedResponse response = entry.response().orElse(null);
    if (response == null) {
      io.out().println("key: " + entry.key());
      io.out().println("size: " + Entries.size(entry.size()));
      throw CommandFailure.failure(
          "the entry cannot be decoded"
              + (entry.isForeign() ? " by --codec " : ": ")
              + entry.problem().orElse("unknown"));
    }
    if (bodyOnly) {
      io.writeRaw(response.body());
      return 0;
    }
    PrintWriter out = io.out();
    out.println("key: " + entry.key());
    out.println("url: " + response.uri());
    out.println("status: " + response.statusCode() + " " + response.reason());
    out.println("created: " + Entries.time(response.createdAt()));
    out.println(
        "expires: "
            + response.expires().map(Entries::time).orElse("never")
            + (response.isExpired(now) ? " (expired)" : ""));
    out.println(
        "size: "
            + Entries.size(entry.size())
            + " stored, body "
            + response.bodyLength()
            + " bytes");
    out.println();
    out.println(
        "> " + response.request().method() + " " + response.request().uri() + " (as stored)");
    printHeaders(out, "> ", response.request().headers());
    out.println();
    out.println("< " + response.statusCode() + " " + response.reason());
    printHeaders(out, "< ", response.headers());
    out.println();
    String text = text(response.body());
    if (text != null) {
      out.print(text);
      if (!text.isEmpty() && !text.endsWith("\n")) {
        out.println();
      }
    } else {
      out.println(
          "(a binary body of "
              + response.bodyLength()
              + " bytes; 'httpcache show --body "
              + target
              + " > FILE' writes it out)");
    }
    return 0;
  }

  private static void printHeaders(PrintWriter out, String prefix, HttpHeaders headers) {
    for (Map.Entry<String, List<String>> header : headers.map().entrySet()) {
      for (String value : header.getValue()) {
        out.println(prefix + header.getKey() + ": " + value);
      }
    }
  }

  /** Returns the body as text when it is UTF-8 without control characters, else null. */
  private static @Nullable String text(byte[] body) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
        return null;
      }
    }
    return text;
  }
}
