package dev.httpcache.cli;

import dev.httpcache.codec.SecretKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code httpcache keygen}: makes a new random secret key for signing or encrypting cache entries,
 * and prints it in base64 (for an environment variable) or stores it in a PKCS12 key store.
 */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    versionProvider = HttpcacheCommand.Version.class,
    description = {
      "Makes a new random "
          + SecretKeys.MIN_KEY_BYTES
          + "-byte secret key for signed or encrypted"
          + " cache entries.",
      "Without --keystore it prints the key in base64 on standard output, for an environment"
          + " variable such as HTTPCACHE_SECRET_KEY. With --keystore it adds the key to a PKCS12"
          + " key store and prints nothing secret."
    },
    footer = {"", "Exit status: 0 on success, 1 when the key store fails, 2 on bad usage."})
final class KeygenCommand implements Callable<Integer> {
  private final Io io;
  private final UnaryOperator<@Nullable String> environment;

  @Option(
      names = "--keystore",
      paramLabel = "FILE",
      description = "Add the key to this PKCS12 key store (created if missing).")
  private @Nullable Path keystore;

  @Option(
      names = "--alias",
      paramLabel = "NAME",
      defaultValue = "httpcache",
      description = "The key's name in the key store (default: ${DEFAULT-VALUE}).")
  private String alias = "httpcache";

  @Option(
      names = "--password-env",
      paramLabel = "VARIABLE",
      defaultValue = "HTTPCACHE_KEYSTORE_PASSWORD",
      description =
          "The environment variable that holds the key store's password (default:"
              + " ${DEFAULT-VALUE}).")
  private String passwordVariable = "HTTPCACHE_KEYSTORE_PASSWORD";

  KeygenCommand(Io io, UnaryOperator<@Nullable String> environment) {
    this.io = io;
    this.environment = environment;
  }

  @Override
  public Integer call() {
    byte[] key = SecretKeys.generate();
    String id = SecretKeys.of(key).ids().get(0);
    Path file = keystore;
    if (file == null) {
      io.out().println(Base64.getEncoder().encodeToString(key));
      io.err().println("key id " + id + "; keep the key secret, e.g. in HTTPCACHE_SECRET_KEY");
      return 0;
    }
    String password = environment.apply(passwordVariable);
    if (password == null || password.isEmpty()) {
      throw CommandFailure.usage(
          "set the key store's password in the environment variable " + passwordVariable);
    }
    store(file, key, password.toCharArray());
    io.err().println("stored key " + id + " as '" + alias + "' in " + file);
    return 0;
  }

  private void store(Path file, byte[] key, char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      if (Files.exists(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          store.load(in, password);
        }
        if (store.containsAlias(alias)) {
          throw CommandFailure.usage(
              "the key store " + file + " already has '" + alias + "'; choose another --alias");
        }
      } else {
        store.load(null, password);
      }
      store.setEntry(
          alias,
          new KeyStore.SecretKeyEntry(new SecretKeySpec(key, "AES")),
          new KeyStore.PasswordProtection(password));
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      // Written beside the file and moved in place, readable by its owner only.
      Path temporary = Files.createTempFile(parent, ".keygen", ".p12");
      try {
        if (temporary.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        }
        try (OutputStream out = Files.newOutputStream(temporary)) {
          store.store(out, password);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw CommandFailure.failure(
          "cannot write the key store " + file + " (wrong password?): " + Errors.message(e));
    } catch (GeneralSecurityException e) {
      throw CommandFailure.failure("key store " + file + " failed: " + e.getClass().getName());
    }
  }
}
