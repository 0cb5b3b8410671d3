package io.discs.platform;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Who asks: the authenticated user, their roles and the address the request came from; audited with
 * every change. (Codegen refuses records as data objects, so this is a small immutable class.)
 */
@DataObject
public final class Caller {
  private final String username;
  private final List<String> roles;
  private final String sourceIp;

  public Caller(String username, List<String> roles, String sourceIp) {
    this.username = username;
    this.roles = roles == null ? List.of() : List.copyOf(roles);
    this.sourceIp = sourceIp;
  }

  public Caller(JsonObject json) {
    this(
        json.getString("username"),
        json.getJsonArray("roles", new JsonArray()).stream().map(String::valueOf).toList(),
        json.getString("sourceIp"));
  }

  public static Caller system() {
    return new Caller("system", List.of("admin"), null);
  }

  public String username() {
    return username;
  }

  public List<String> roles() {
    return roles;
  }

  public String sourceIp() {
    return sourceIp;
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("username", username)
        .put("roles", new JsonArray(roles))
        .put("sourceIp", sourceIp);
  }

  @Override
  public String toString() {
    return "Caller[" + username + " " + roles + "]";
  }
}
