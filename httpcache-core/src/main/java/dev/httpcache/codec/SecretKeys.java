package dev.httpcache.codec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The secret keys that sign or encrypt cache entries: the newest signs and encrypts, every one
 * verifies and decrypts, so keys can be rotated by putting a new one first and keeping the old ones
 * until their entries have expired. Immutable and thread-safe.
 *
 * <pre>{@code
 * SecretKeys keys = SecretKeys.fromEnvironment("HTTPCACHE_SECRET_KEY"); // base64, from keygen
 * SecretKeys keys = SecretKeys.fromKeyStore(Path.of("keys.p12"), password, "httpcache");
 * SecretKeys keys = SecretKeys.of(newestBytes, olderBytes);
 * }</pre>
 *
 * <p>A key is at least {@value #MIN_KEY_BYTES} bytes. Each has a 4-byte identifier derived from it
 * by a one-way hash, which entries carry so that the right key is found. Signing and encryption
 * derive their own keys from each secret (HMAC-SHA256 with distinct labels), so one secret may
 * serve both. Key bytes never appear in {@link #toString()}, logs or exception messages.
 */
public final class SecretKeys {
  /** The shortest key accepted, in bytes: 256 bits. */
  public static final int MIN_KEY_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  /** One secret and its identifier. */
  static final class Key {
    final byte[] id;
    private final byte[] secret;

    Key(byte[] secret) {
      this.secret = secret;
      this.id = Arrays.copyOf(sha256("httpcache-key-id\0", secret), 4);
    }

    /** Returns the key for {@code purpose}: HMAC-SHA256 of the label under the secret. */
    byte[] derive(String purpose) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return mac.doFinal(purpose.getBytes(StandardCharsets.US_ASCII));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
      }
    }

    String idHex() {
      return HEX.formatHex(id);
    }
  }

  private final List<Key> keys;

  private SecretKeys(List<Key> keys) {
    this.keys = Collections.unmodifiableList(keys);
  }

  /**
   * Returns keys from raw bytes, the newest first.
   *
   * @throws IllegalArgumentException when a key is shorter than {@value #MIN_KEY_BYTES} bytes
   */
  public static SecretKeys of(byte[] newest, byte[]... older) {
    List<byte[]> all = new ArrayList<>();
    all.add(Objects.requireNonNull(newest, "newest"));
    all.addAll(Arrays.asList(older));
    return fromBytes(all, "key");
  }

  private static SecretKeys fromBytes(List<byte[]> secrets, String what) {
    List<Key> keys = new ArrayList<>(secrets.size());
    for (int i = 0; i < secrets.size(); i++) {
      byte[] secret = Objects.requireNonNull(secrets.get(i), what);
      if (secret.length == 0) {
        throw new IllegalArgumentException(what + " " + (i + 1) + " is empty");
      }
      if (secret.length < MIN_KEY_BYTES) {
        throw new IllegalArgumentException(
            what
                + " "
                + (i + 1)
                + " is "
                + secret.length
                + " bytes; a key needs at least "
                + MIN_KEY_BYTES
                + " random bytes (make one with `httpcache keygen`)");
      }
      keys.add(new Key(secret.clone()));
    }
    return new SecretKeys(keys);
  }

  /**
   * Returns the keys held in the environment variable {@code variable}: base64 (standard or URL
   * alphabet, as {@code httpcache keygen} prints), several separated by commas, the newest first.
   *
   * @throws IllegalStateException when the variable is not set or is empty
   * @throws IllegalArgumentException when a value is not base64 or a key is too short
   */
  public static SecretKeys fromEnvironment(String variable) {
    return fromEnvironment(variable, System::getenv);
  }

  /**
   * Returns the keys held in the variable {@code variable} of {@code environment}, as {@link
   * #fromEnvironment(String)} reads them from the process's environment; for tools that keep their
   * own view of it.
   *
   * @throws IllegalStateException when the variable is not set or is empty
   * @throws IllegalArgumentException when a value is not base64 or a key is too short
   */
  public static SecretKeys fromEnvironment(
      String variable, UnaryOperator<@Nullable String> environment) {
    Objects.requireNonNull(variable, "variable");
    String value = environment.apply(variable);
    if (value == null) {
      throw new IllegalStateException(
          "the environment variable "
              + variable
              + " is not set; put a key there (make one with `httpcache keygen`)");
    }
    if (value.isBlank()) {
      throw new IllegalStateException("the environment variable " + variable + " is empty");
    }
    List<byte[]> secrets = new ArrayList<>();
    String[] parts = value.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i].trim();
      try {
        secrets.add(
            part.indexOf('-') >= 0 || part.indexOf('_') >= 0
                ? Base64.getUrlDecoder().decode(part)
                : Base64.getDecoder().decode(part));
      } catch (IllegalArgumentException e) {
        // The message of the decoder could quote the value: say where, not what.
        throw new IllegalArgumentException(
            "key " + (i + 1) + " of the environment variable " + variable + " is not base64");
      }
    }
    return fromBytes(secrets, "key of " + variable + ", number");
  }

  /**
   * Returns the secret keys stored under {@code aliases} (the newest first) in a Java KeyStore file
   * (PKCS12, as {@code httpcache keygen --keystore} or {@code keytool -genseckey} writes it). With
   * no alias, every secret-key entry of the file is taken, the most recently created first.
   *
   * @throws IOException when the file cannot be read, is not a key store, or the password is wrong
   * @throws IllegalArgumentException when an alias is missing, not a secret key, or too short
   */
  public static SecretKeys fromKeyStore(Path file, char[] password, String... aliases)
      throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    KeyStore store;
    try (InputStream in = Files.newInputStream(file)) {
      store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
    } catch (NoSuchFileException e) {
      throw new IOException("the key store " + file + " does not exist", e);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the key store " + file + ": " + e.getClass().getName(), e);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new IOException("wrong password for the key store " + file, e);
      }
      throw new IOException(
          "cannot read the key store " + file + " (wrong password, or not PKCS12?)", e);
    }
    try {
      List<String> names = new ArrayList<>(Arrays.asList(aliases));
      if (names.isEmpty()) {
        Map<Date, String> byDate = new TreeMap<>(Collections.reverseOrder());
        for (String alias : Collections.list(store.aliases())) {
          if (store.entryInstanceOf(alias, KeyStore.SecretKeyEntry.class)) {
            byDate.put(store.getCreationDate(alias), alias);
          }
        }
        names.addAll(byDate.values());
        if (names.isEmpty()) {
          throw new IllegalArgumentException("the key store " + file + " holds no secret key");
        }
      }
      List<byte[]> secrets = new ArrayList<>();
      KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password);
      for (String alias : names) {
        if (!store.containsAlias(alias)) {
          throw new IllegalArgumentException("the key store " + file + " has no entry " + alias);
        }
        KeyStore.Entry entry = store.getEntry(alias, protection);
        if (!(entry instanceof KeyStore.SecretKeyEntry)) {
          throw new IllegalArgumentException(
              "the entry " + alias + " of " + file + " is not a secret key");
        }
        SecretKey key = ((KeyStore.SecretKeyEntry) entry).getSecretKey();
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
          throw new IllegalArgumentException(
              "the secret key " + alias + " of " + file + " cannot be exported");
        }
        secrets.add(encoded);
      }
      return fromBytes(secrets, "key store entry");
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the keys of " + file + ": " + e.getClass().getName(), e);
    }
  }

  /** Returns {@value #MIN_KEY_BYTES} new random bytes from a strong source, for a new key. */
  public static byte[] generate() {
    byte[] key = new byte[MIN_KEY_BYTES];
    RANDOM.nextBytes(key);
    return key;
  }

  /** Returns how many keys there are. */
  public int size() {
    return keys.size();
  }

  /** Returns the key identifiers (8 hex digits each), the newest first. */
  public List<String> ids() {
    List<String> ids = new ArrayList<>(keys.size());
    for (Key key : keys) {
      ids.add(key.idHex());
    }
    return ids;
  }

  /** Returns the newest key, which signs and encrypts. */
  Key newest() {
    return keys.get(0);
  }

  /** Returns the keys with this identifier (almost always one or none). */
  List<Key> withId(byte[] id) {
    List<Key> found = new ArrayList<>(1);
    for (Key key : keys) {
      if (MessageDigest.isEqual(key.id, id)) {
        found.add(key);
      }
    }
    return found;
  }

  private static byte[] sha256(String label, byte[] data) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(label.getBytes(StandardCharsets.US_ASCII));
      return digest.digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** Names the keys by their identifiers only. */
  @Override
  public String toString() {
    return "SecretKeys" + ids();
  }
}
