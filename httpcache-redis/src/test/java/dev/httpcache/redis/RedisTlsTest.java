package dev.httpcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to a redis-server that serves only TLS, with certificates made by openssl for the test: the
 * storage checks the chain and that the certificate names the host it connected to.
 */
final class RedisTlsTest {
  @TempDir Path dir;

  /** Makes a self-signed certificate and its key for {@code names} (openssl's subjectAltName). */
  private Path[] certificate(String name, String names) throws Exception {
    Path cert = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + ".key");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=httpcache-test",
                "-addext",
                "subjectAltName=" + names,
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(openssl.exitValue()).as(output).isZero();
    return new Path[] {cert, key};
  }

  private RedisServer tlsServer(Path[] certificate) throws IOException {
    return RedisServer.start(
        dir.resolve("server"),
        "--port",
        "0",
        "--tls-port",
        "{port}",
        "--tls-cert-file",
        certificate[0].toString(),
        "--tls-key-file",
        certificate[1].toString(),
        "--tls-ca-cert-file",
        certificate[0].toString(),
        "--tls-auth-clients",
        "no");
  }

  private static SSLContext trusting(Path cert) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      store.setCertificateEntry(
          "test", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  @Test
  void aTrustedCertificateForTheHostCarriesTheCache() throws Exception {
    Path[] certificate = certificate("good", "IP:127.0.0.1,DNS:localhost");
    try (RedisServer server = tlsServer(certificate);
        RedisStorage storage =
            RedisStorage.builder()
                .server("127.0.0.1", server.port())
                .tls(trusting(certificate[0]))
                .namespace(Namespaces.random())
                .build()) {
      storage.put(Namespace.RESPONSES, "k", "over TLS".getBytes(StandardCharsets.UTF_8), null);
      assertThat(storage.get(Namespace.RESPONSES, "k").orElseThrow())
          .asString(StandardCharsets.UTF_8)
          .isEqualTo("over TLS");
      assertThat(storage.toString()).startsWith("RedisStorage[rediss://127.0.0.1:");
    }
  }

  @Test
  void aCertificateTheJvmDoesNotTrustIsRefused() throws Exception {
    Path[] certificate = certificate("good", "IP:127.0.0.1");
    try (RedisServer server = tlsServer(certificate);
        RedisStorage storage =
            RedisStorage.fromUrl("rediss://127.0.0.1:" + server.port() + "/0?timeout=2s")) {
      assertThatThrownBy(() -> storage.get(Namespace.RESPONSES, "k"))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("Redis GET failed at rediss://127.0.0.1:");
    }
  }

  @Test
  void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
    Path[] certificate = certificate("other", "DNS:other.example");
    try (RedisServer server = tlsServer(certificate);
        RedisStorage storage =
            RedisStorage.builder()
                .server("127.0.0.1", server.port())
                .tls(trusting(certificate[0]))
                .timeout(java.time.Duration.ofSeconds(2))
                .build()) {
      assertThatThrownBy(() -> storage.get(Namespace.RESPONSES, "k"))
          .isInstanceOf(IOException.class)
          .hasStackTraceContaining("No subject alternative");
    }
  }
}
