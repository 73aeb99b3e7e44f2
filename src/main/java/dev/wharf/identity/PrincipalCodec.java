package dev.wharf.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Writes a principal, with its session, into a sealed payload and reads it back: the one encoding that STS
 * session tokens and CodeArtifact authorization tokens share, since both carry the principal they act as
 * (and its session limits) so that any node can check them without the database.
 */
public final class PrincipalCodec {
  /** The largest packed session scope STS issues, in bytes. */
  public static final int MAX_PACKED_SCOPE = 2048;
  private static final int MAX_SCOPE_JSON = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private PrincipalCodec() {}

  /** Adds the principal's fields to the payload (keys {@code a}, {@code p}, {@code u}, {@code i}, …). */
  public static void write(Principal principal, ObjectNode payload) {
    payload.put("a", principal.accountId());
    switch (principal) {
      case Principal.Root root -> payload.put("p", "root");
      case Principal.User user -> {
        payload.put("p", "user");
        writeUser(user, payload);
      }
      case Principal.AssumedRole session -> payload.put("p", "session").put("u", session.roleName())
          .put("i", session.roleId()).put("up", session.rolePath()).put("n", session.sessionName());
      case Principal.FederatedUser federated -> {
        payload.put("p", "federated").put("n", federated.name());
        writeUser(federated.user(), payload);
      }
    }
    Principal.Session session = principal.session();
    if (session != null) {
      payload.put("si", session.issuedAt().toEpochMilli()).put("se", session.expiresAt().toEpochMilli());
      writeScope(session.scope(), payload);
    }
  }

  /** Reads a principal written by {@link #write}; empty when the payload is not one this codec wrote. */
  public static Optional<Principal> read(JsonNode payload) {
    String account = payload.path("a").asText();
    SessionScope scope = readScope(payload);
    if (scope == null) {
      return Optional.empty();
    }
    Principal.Session session = payload.has("si")
        ? new Principal.Session(Instant.ofEpochMilli(payload.path("si").asLong()),
            Instant.ofEpochMilli(payload.path("se").asLong()), scope)
        : null;
    return Optional.ofNullable(switch (payload.path("p").asText()) {
      case "root" -> new Principal.Root(account);
      case "user" -> readUser(account, payload, session);
      case "session" -> session == null ? null : new Principal.AssumedRole(account, payload.path("u").asText(),
          payload.path("i").asText(), payload.path("up").asText(), payload.path("n").asText(), session);
      case "federated" -> session == null ? null : new Principal.FederatedUser(account, payload.path("n").asText(),
          readUser(account, payload, null), session);
      default -> null;
    });
  }

  private static void writeUser(Principal.User user, ObjectNode payload) {
    payload.put("u", user.userName()).put("i", user.userId()).put("up", user.path());
  }

  private static Principal.User readUser(String account, JsonNode payload, Principal.Session session) {
    return new Principal.User(account, payload.path("u").asText(), payload.path("i").asText(),
        payload.path("up").asText(), session);
  }

  /**
   * The session scope as it travels in a token: its JSON, deflated. STS refuses a scope whose packed form
   * is larger than {@link #MAX_PACKED_SCOPE} (AWS's PackedPolicyTooLarge), which keeps every token that
   * carries one within what HTTP headers hold.
   */
  public static byte[] pack(SessionScope scope) {
    ObjectNode json = JSON.createObjectNode();
    if (scope.policy() != null) {
      json.put("p", scope.policy());
    }
    if (!scope.policyArns().isEmpty()) {
      ArrayNode arns = json.putArray("a");
      scope.policyArns().forEach(arns::add);
    }
    if (!scope.tags().isEmpty()) {
      ObjectNode tags = json.putObject("t");
      scope.tags().forEach(tags::put);
    }
    if (!scope.transitiveTagKeys().isEmpty()) {
      ArrayNode keys = json.putArray("k");
      scope.transitiveTagKeys().forEach(keys::add);
    }
    if (scope.sourceIdentity() != null) {
      json.put("s", scope.sourceIdentity());
    }
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    try {
      deflater.setInput(json.toString().getBytes(StandardCharsets.UTF_8));
      deflater.finish();
      ByteArrayOutputStream packed = new ByteArrayOutputStream();
      byte[] buffer = new byte[1024];
      while (!deflater.finished()) {
        packed.write(buffer, 0, deflater.deflate(buffer));
      }
      return packed.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static void writeScope(SessionScope scope, ObjectNode payload) {
    if (!scope.equals(SessionScope.NONE)) {
      payload.put("sc", pack(scope));
    }
  }

  private static SessionScope readScope(JsonNode payload) {
    if (!payload.has("sc")) {
      return SessionScope.NONE;
    }
    JsonNode json;
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(payload.path("sc").binaryValue());
      ByteArrayOutputStream plain = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        plain.write(buffer, 0, n);
        if (plain.size() > MAX_SCOPE_JSON) {
          return null;
        }
      }
      json = JSON.readTree(plain.toByteArray());
    } catch (IOException | DataFormatException e) {
      return null;
    } finally {
      inflater.end();
    }
    List<String> arns = new ArrayList<>();
    json.path("a").forEach(arn -> arns.add(arn.asText()));
    Map<String, String> tags = new LinkedHashMap<>();
    json.path("t").properties().forEach(tag -> tags.put(tag.getKey(), tag.getValue().asText()));
    Set<String> transitive = new HashSet<>();
    json.path("k").forEach(key -> transitive.add(key.asText()));
    return new SessionScope(json.path("p").isTextual() ? json.path("p").asText() : null, arns, tags, transitive,
        json.path("s").isTextual() ? json.path("s").asText() : null);
  }
}
