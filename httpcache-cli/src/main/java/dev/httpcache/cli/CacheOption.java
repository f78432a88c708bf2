package dev.httpcache.cli;

import dev.httpcache.codec.Codec;
import dev.httpcache.codec.CodecStage;
import dev.httpcache.codec.SecretKeys;
import dev.httpcache.jackson.JacksonCodecs;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options that say where a cache is and how its entries are encoded, shared by every command
 * that works on a cache: {@code --cache LOCATION}, {@code --codec CODEC} and {@code --key-env}.
 */
final class CacheOption {
  /** The variable that holds the secret keys of a signing or encrypting codec by default. */
  static final String DEFAULT_KEY_VARIABLE = "HTTPCACHE_KEY";

  @Option(
      names = "--cache",
      paramLabel = "LOCATION",
      defaultValue = Storage.DEFAULT_SQLITE_FILE,
      description = {
        "Where the cache is: an SQLite file (default: ${DEFAULT-VALUE} in the working directory),",
        "a folder (one that exists, or a path ending in /) for the filesystem storage,",
        "or a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL."
      })
  private String location = Storage.DEFAULT_SQLITE_FILE;

  @Option(
      names = "--codec",
      paramLabel = "CODEC",
      defaultValue = "binary",
      description = {
        "How entries are encoded, as the program that wrote them chose: a base (binary, json,",
        "yaml, cbor) and stages joined by + (deflate, hmac-sha256, aes-256-gcm); 'signed' and",
        "'encrypted' are Codec.signed and Codec.encrypted. Default: ${DEFAULT-VALUE}."
      })
  private String codec = "binary";

  @Option(
      names = "--key-env",
      paramLabel = "VARIABLE",
      defaultValue = DEFAULT_KEY_VARIABLE,
      description =
          "The environment variable with the secret keys of a signing or encrypting codec, base64,"
              + " newest first, comma-separated (default: ${DEFAULT-VALUE}).")
  private String keyVariable = DEFAULT_KEY_VARIABLE;

  /** Returns the location as given. */
  String location() {
    return location;
  }

  /** Whether the location is a Redis URL. */
  boolean isRedis() {
    String lower = location.toLowerCase(Locale.ROOT);
    return lower.startsWith("redis://")
        || lower.startsWith("rediss://")
        || lower.startsWith("redis+sentinel://")
        || lower.startsWith("redis+cluster://");
  }

  /** Whether the location names a folder: the filesystem storage. */
  boolean isFolder() {
    return !isRedis()
        && (location.endsWith("/")
            || location.endsWith(java.io.File.separator)
            || Files.isDirectory(Path.of(location)));
  }

  /** Returns the SQLite file or the folder the location names. */
  Path path() {
    if (isRedis()) {
      throw CommandFailure.usage("--cache " + Redis.redacted(location) + " is not a file");
    }
    return Path.of(location);
  }

  /** Returns the location for messages: a Redis URL without its password, a path absolute. */
  String describe() {
    return isRedis() ? Redis.redacted(location) : path().toAbsolutePath().toString();
  }

  /**
   * Opens the storage the location names.
   *
   * @throws IOException when it cannot be opened
   */
  Storage open() throws IOException {
    if (isRedis()) {
      return Redis.open(location);
    }
    if (isFolder()) {
      return Storage.filesystem(path());
    }
    return Storage.sqlite(path());
  }

  /**
   * Returns the codec that {@code --codec} names, with its keys read from {@code environment}.
   *
   * @throws CommandFailure on a codec name that is not known, or keys that are missing or bad
   */
  Codec codec(UnaryOperator<@Nullable String> environment) {
    String spec = codec.trim().toLowerCase(Locale.ROOT);
    switch (spec) {
      case "signed":
        return Codec.signed(keys(environment));
      case "encrypted":
        return Codec.encrypted(keys(environment));
      default:
        break;
    }
    String[] parts = spec.split("\\+", -1);
    Codec base = base(parts[0]);
    List<CodecStage> stages = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      stages.add(stage(parts[i], environment));
    }
    return stages.isEmpty() ? base : Codec.pipeline(base, stages.toArray(new CodecStage[0]));
  }

  private static Codec base(String name) {
    switch (name) {
      case "binary":
      case "binary-v1":
      case "binary-v2":
        return Codec.binary();
      case "json":
      case "json-v1":
        return JacksonCodecs.json();
      case "yaml":
      case "yaml-v1":
        return JacksonCodecs.yaml();
      case "cbor":
      case "cbor-v1":
        return JacksonCodecs.cbor();
      default:
        throw CommandFailure.usage(
            "--codec: unknown base '" + name + "'; expected binary, json, yaml or cbor");
    }
  }

  private CodecStage stage(String name, UnaryOperator<@Nullable String> environment) {
    switch (name) {
      case "deflate":
        return CodecStage.compressed();
      case "hmac-sha256":
        return CodecStage.signed(keys(environment));
      case "aes-256-gcm":
        return CodecStage.encrypted(keys(environment));
      default:
        throw CommandFailure.usage(
            "--codec: unknown stage '" + name + "'; expected deflate, hmac-sha256 or aes-256-gcm");
    }
  }

  private SecretKeys keys(UnaryOperator<@Nullable String> environment) {
    try {
      return SecretKeys.fromEnvironment(keyVariable, environment);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw CommandFailure.usage("--codec " + codec + " needs keys: " + Errors.message(e));
    }
  }
}
