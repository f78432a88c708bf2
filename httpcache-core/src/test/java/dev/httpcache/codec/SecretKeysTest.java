package dev.httpcache.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SecretKeysTest {
  @TempDir Path dir;

  private static final byte[] KEY = CodecPipelineTest.bytes(11);
  private static final byte[] OLD = CodecPipelineTest.bytes(12);

  private static SecretKeys env(@Nullable String value) {
    Map<String, String> env = value == null ? Map.of() : Map.of("HTTPCACHE_SECRET_KEY", value);
    return SecretKeys.fromEnvironment("HTTPCACHE_SECRET_KEY", env::get);
  }

  @Test
  void keysComeFromBase64InTheEnvironmentNewestFirst() {
    SecretKeys keys =
        env(
            Base64.getEncoder().encodeToString(KEY)
                + ", "
                + Base64.getUrlEncoder().withoutPadding().encodeToString(OLD));
    assertThat(keys.ids()).containsExactlyElementsOf(SecretKeys.of(KEY, OLD).ids());
  }

  @Test
  void aMissingEmptyOrShortKeyIsAClearError() {
    assertThatThrownBy(() -> env(null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("HTTPCACHE_SECRET_KEY is not set")
        .hasMessageContaining("httpcache keygen");
    assertThatThrownBy(() -> env("  "))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is empty");
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> env(shortKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16 bytes; a key needs at least 32")
        .hasMessageNotContaining(shortKey);
    assertThatThrownBy(() -> env("not base64 at all!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key 1 of the environment variable HTTPCACHE_SECRET_KEY is not base64");
    assertThatThrownBy(() -> SecretKeys.of(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void toStringNamesOnlyTheIdentifiers() {
    SecretKeys keys = SecretKeys.of(KEY, OLD);
    String text = keys.toString();
    assertThat(text).isEqualTo("SecretKeys" + keys.ids());
    assertThat(text)
        .doesNotContain(Base64.getEncoder().encodeToString(KEY))
        .doesNotContain(java.util.HexFormat.of().formatHex(KEY));
    assertThat(keys.ids()).hasSize(2).allMatch(id -> id.matches("[0-9a-f]{8}"));
    assertThat(CodecStage.signed(keys).toString())
        .doesNotContain(java.util.HexFormat.of().formatHex(KEY));
  }

  @Test
  void generatedKeysAreLongEnoughAndDistinct() {
    byte[] a = SecretKeys.generate();
    assertThat(a).hasSize(SecretKeys.MIN_KEY_BYTES).isNotEqualTo(SecretKeys.generate());
    assertThat(SecretKeys.of(a).size()).isEqualTo(1);
  }

  private Path keyStore(char[] password, String... aliases) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, password);
    int seed = 20;
    for (String alias : aliases) {
      store.setEntry(
          alias,
          new KeyStore.SecretKeyEntry(new SecretKeySpec(CodecPipelineTest.bytes(seed++), "AES")),
          new KeyStore.PasswordProtection(password));
    }
    Path file = dir.resolve("keys.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password);
    }
    return file;
  }

  @Test
  void keysComeFromAPkcs12KeyStore() throws Exception {
    char[] password = "store password".toCharArray();
    Path file = keyStore(password, "new", "old");
    SecretKeys keys = SecretKeys.fromKeyStore(file, password, "new", "old");
    assertThat(keys.ids())
        .containsExactlyElementsOf(
            SecretKeys.of(CodecPipelineTest.bytes(20), CodecPipelineTest.bytes(21)).ids());
    assertThat(SecretKeys.fromKeyStore(file, password).size()).isEqualTo(2);
  }

  @Test
  void keyStoreProblemsAreClearErrors() throws Exception {
    char[] password = "store password".toCharArray();
    Path file = keyStore(password, "only");
    assertThatThrownBy(() -> SecretKeys.fromKeyStore(file, "wrong".toCharArray(), "only"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("wrong password");
    assertThatThrownBy(() -> SecretKeys.fromKeyStore(file, password, "missing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no entry missing");
    assertThatThrownBy(() -> SecretKeys.fromKeyStore(dir.resolve("none.p12"), password))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not exist");
    Path garbage = dir.resolve("garbage.p12");
    Files.writeString(garbage, "not a key store");
    assertThatThrownBy(() -> SecretKeys.fromKeyStore(garbage, password))
        .isInstanceOf(IOException.class);
  }
}
