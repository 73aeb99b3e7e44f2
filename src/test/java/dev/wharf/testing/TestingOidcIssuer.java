package dev.wharf.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A local OpenID Connect issuer over HTTPS, with its own self-signed certificate (made by the JDK's
 * keytool for 127.0.0.1 and localhost): it serves the discovery document and a JWKS with a real
 * RSA and a real EC key, and mints tokens signed with them. Tests can make it misbehave: answer
 * slowly, fail, or serve another key set body; they can rotate its keys and count its JWKS fetches.
 */
public final class TestingOidcIssuer implements AutoCloseable {
  public static final String RSA_KEY_ID = "rsa-1";
  public static final String EC_KEY_ID = "ec-1";

  private final HttpsServer server;
  private final String thumbprint;
  private final AtomicReference<RSAKey> rsa = new AtomicReference<>();
  private final ECKey ec;
  private final AtomicReference<String> jwksOverride = new AtomicReference<>();
  private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicInteger jwksFetches = new AtomicInteger();

  private TestingOidcIssuer(HttpsServer server, String thumbprint, RSAKey rsa, ECKey ec) {
    this.server = server;
    this.thumbprint = thumbprint;
    this.rsa.set(rsa);
    this.ec = ec;
  }

  /** Starts an issuer on a free port of 127.0.0.1; its key store is made in {@code scratch}. */
  public static TestingOidcIssuer start(Path scratch) {
    try {
      Path directory = Files.createDirectories(scratch.resolve("oidc-issuer-" + UUID.randomUUID()));
      Path keyStore = directory.resolve("issuer.p12");
      String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
      TestingProcesses.Result made = TestingProcesses.run(directory, TestingProcesses.cleanEnvironment(null),
          Duration.ofSeconds(60), List.of(keytool, "-genkeypair", "-alias", "issuer", "-keyalg", "EC", "-groupname",
              "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2",
              "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass",
              "changeit"));
      assertThat(made.exitCode()).as(made.describe()).isZero();
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        store.load(in, "changeit".toCharArray());
      }
      X509Certificate certificate = (X509Certificate) store.getCertificate("issuer");
      String thumbprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, "changeit".toCharArray());
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keys.getKeyManagers(), null, null);
      HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(tls));
      server.setExecutor(Executors.newCachedThreadPool());
      TestingOidcIssuer issuer = new TestingOidcIssuer(server, thumbprint,
          new RSAKeyGenerator(2048).keyID(RSA_KEY_ID).keyUse(KeyUse.SIGNATURE).generate(),
          new ECKeyGenerator(Curve.P_256).keyID(EC_KEY_ID).keyUse(KeyUse.SIGNATURE).generate());
      server.createContext("/", issuer::handle);
      server.start();
      return issuer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code https://127.0.0.1:PORT}: the iss of its tokens and the URL to register. */
  public String issuer() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The SHA-1 thumbprint of its certificate, lower-case hex, as IAM registers it. */
  public String thumbprint() {
    return thumbprint;
  }

  /** How many times its key set was asked for. */
  public int jwksFetches() {
    return jwksFetches.get();
  }

  /** Every answer waits this long first (an issuer that is slow or hangs). */
  public void delay(Duration wait) {
    delay.set(wait);
  }

  /** Every answer has this status (500: an issuer that is down). */
  public void status(int code) {
    status.set(code);
  }

  /** The key set is served as this body instead (malformed or oversized JWKS); null restores it. */
  public void jwksBody(String body) {
    jwksOverride.set(body);
  }

  /** Replaces the RSA key by a new one with this key ID (the issuer rotated its keys). */
  public void rotateRsaKey(String keyId) {
    try {
      rsa.set(new RSAKeyGenerator(2048).keyID(keyId).keyUse(KeyUse.SIGNATURE).generate());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public RSAKey rsaKey() {
    return rsa.get();
  }

  public ECKey ecKey() {
    return ec;
  }

  /** Claims a CI provider's token carries: this issuer, the subject and audience, valid from a minute ago for 10 min. */
  public JWTClaimsSet.Builder claims(String subject, String audience) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(issuer()).subject(subject).audience(audience)
        .issueTime(Date.from(now.minusSeconds(60))).notBeforeTime(Date.from(now.minusSeconds(60)))
        .expirationTime(Date.from(now.plusSeconds(600))).jwtID(UUID.randomUUID().toString());
  }

  /** A token signed with the issuer's RSA key (RS256). */
  public String rsaToken(JWTClaimsSet claims) {
    return sign(claims, JWSAlgorithm.RS256, rsa.get(), header -> { });
  }

  /** A token signed with the issuer's EC key (ES256). */
  public String ecToken(JWTClaimsSet claims) {
    return sign(claims, JWSAlgorithm.ES256, ec, header -> { });
  }

  /** A token signed with any key and algorithm, its header adjusted (e.g. another key ID). */
  public static String sign(JWTClaimsSet claims, JWSAlgorithm algorithm, JWK key, Consumer<JWSHeader.Builder> header) {
    try {
      JWSHeader.Builder builder = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(key.getKeyID());
      header.accept(builder);
      SignedJWT jwt = new SignedJWT(builder.build(), claims);
      JWSSigner signer = key instanceof RSAKey rsaKey ? new RSASSASigner(rsaKey) : new ECDSASigner((ECKey) key);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Duration wait = delay.get();
      if (!wait.isZero()) {
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      String path = exchange.getRequestURI().getPath();
      String body;
      if (path.equals("/.well-known/openid-configuration")) {
        body = "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + issuer() + "/jwks\","
            + "\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":[\"public\"],"
            + "\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"]}";
      } else if (path.equals("/jwks")) {
        jwksFetches.incrementAndGet();
        String override = jwksOverride.get();
        List<JWK> keys = new ArrayList<>(List.of(rsa.get().toPublicJWK(), ec.toPublicJWK()));
        body = override != null ? override : new JWKSet(keys).toString();
      } else {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status.get(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
