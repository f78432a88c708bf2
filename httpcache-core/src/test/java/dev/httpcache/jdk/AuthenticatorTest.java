package dev.httpcache.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.HttpCache;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A wrapped client with an Authenticator adds credentials the cache never sees: what it fetches
 * with them must not be stored, or a client without credentials on the same storage would get it.
 */
final class AuthenticatorTest {
  private Origin origin;
  private Storage storage;

  @BeforeEach
  void start() throws IOException {
    origin = new Origin();
    // Basic authentication: a request without credentials gets a 401 challenge.
    origin.answer(
        r ->
            r.getHeaders().get("Authorization") == null
                ? new MockResponse.Builder()
                    .code(401)
                    .setHeader("WWW-Authenticate", "Basic realm=\"private\"")
                    .body("who are you?")
                    .build()
                : new MockResponse.Builder().code(200).body("alice's statement").build());
    storage = Storage.inMemory();
  }

  @AfterEach
  void stop() throws IOException {
    origin.close();
    storage.close();
  }

  private static Authenticator alice() {
    return new Authenticator() {
      @Override
      protected PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication("alice", "secret".toCharArray());
      }
    };
  }

  @Test
  void responsesFetchedWithAnAuthenticatorsCredentialsAreNotStored() throws Exception {
    HttpCache cache = HttpCache.builder().storage(storage).expireAfter(Duration.ofHours(1)).build();
    CachedHttpClient alices =
        CachedHttpClient.of(HttpClient.newBuilder().authenticator(alice()).build(), cache);
    CachedHttpClient anonymous = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
    HttpRequest request = HttpRequest.newBuilder(origin.uri("/statement")).build();

    HttpResponse<String> first = alices.send(request, BodyHandlers.ofString());
    HttpResponse<String> second = alices.send(request, BodyHandlers.ofString());
    HttpResponse<String> stranger = anonymous.send(request, BodyHandlers.ofString());

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("alice's statement");
    assertThat(CachedHttpClient.metadata(second).fromCache()).isFalse();
    assertThat(stranger.statusCode()).isEqualTo(401);
    assertThat(stranger.body()).isEqualTo("who are you?");
    assertThat(storage.count(Storage.Namespace.RESPONSES)).isZero();
  }

  @Test
  void credentialsSentAsAHeaderFollowTheCachesRulesForSecrets() throws Exception {
    HttpCache cache = HttpCache.builder().storage(storage).expireAfter(Duration.ofHours(1)).build();
    CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
    HttpRequest request =
        HttpRequest.newBuilder(origin.uri("/statement"))
            .header("Authorization", "Basic YWxpY2U6c2VjcmV0")
            .build();

    client.send(request, BodyHandlers.ofString());
    HttpResponse<String> again = client.send(request, BodyHandlers.ofString());

    assertThat(CachedHttpClient.metadata(again).fromCache()).isTrue();
    assertThat(again.body()).isEqualTo("alice's statement");
  }
}
