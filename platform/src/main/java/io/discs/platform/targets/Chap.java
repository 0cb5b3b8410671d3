package io.discs.platform.targets;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/**
 * CHAP credentials of a target, shown once (in the answer to create or start); mutual ones only
 * when asked for.
 */
@DataObject
@JsonGen(publicConverter = false)
public final class Chap {
  private String username;
  private String secret;
  private String mutualUsername;
  private String mutualSecret;

  public Chap() {}

  public Chap(JsonObject json) {
    ChapConverter.fromJson(json, this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    ChapConverter.toJson(this, json);
    return json;
  }

  public String getUsername() {
    return username;
  }

  public Chap setUsername(String username) {
    this.username = username;
    return this;
  }

  public String getSecret() {
    return secret;
  }

  public Chap setSecret(String secret) {
    this.secret = secret;
    return this;
  }

  public String getMutualUsername() {
    return mutualUsername;
  }

  public Chap setMutualUsername(String mutualUsername) {
    this.mutualUsername = mutualUsername;
    return this;
  }

  public String getMutualSecret() {
    return mutualSecret;
  }

  public Chap setMutualSecret(String mutualSecret) {
    this.mutualSecret = mutualSecret;
    return this;
  }
}
