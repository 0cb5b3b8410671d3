package io.discs.platform;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Who asks: the authenticated user, their roles and the address the request came from; audited with
 * every change. It crosses the event bus sealed by the member that authenticated the person.
 */
@DataObject
@JsonGen(publicConverter = false)
public final class Caller {
  private String username;
  private List<String> roles = List.of();
  private String sourceIp;
  private Long expiresAt;
  private String proof;

  public Caller() {}

  public Caller(JsonObject json) {
    CallerConverter.fromJson(json, this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    CallerConverter.toJson(this, json);
    return json;
  }

  public static Caller system() {
    return new Caller("system", List.of(Role.ADMIN.wireName()), null);
  }

  public Caller(String username, List<String> roles, String sourceIp) {
    setUsername(username).setRoles(roles).setSourceIp(sourceIp);
  }

  public boolean hasRole(Role role) {
    return roles != null && roles.contains(role.wireName());
  }

  @Override
  public String toString() {
    return "Caller[" + username + " " + roles + "]";
  }

  public String getUsername() {
    return username;
  }

  public Caller setUsername(String username) {
    this.username = username;
    return this;
  }

  public List<String> getRoles() {
    return roles;
  }

  public Caller setRoles(List<String> roles) {
    this.roles = roles == null ? List.of() : List.copyOf(roles);
    return this;
  }

  /** Until when (epoch milliseconds) {@link #getProof()} holds. */
  public Long getExpiresAt() {
    return expiresAt;
  }

  public Caller setExpiresAt(Long expiresAt) {
    this.expiresAt = expiresAt;
    return this;
  }

  /**
   * The seal a cluster member put on this caller (see {@code CallerProofs}); services act only for
   * callers whose seal holds.
   */
  public String getProof() {
    return proof;
  }

  public Caller setProof(String proof) {
    this.proof = proof;
    return this;
  }

  public String getSourceIp() {
    return sourceIp;
  }

  public Caller setSourceIp(String sourceIp) {
    this.sourceIp = sourceIp;
    return this;
  }
}
