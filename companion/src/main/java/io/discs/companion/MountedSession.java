package io.discs.companion;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code POST /api/v1/sessions} answered: where to log in, with what, and how often to beat.
 */
record MountedSession(
    String id,
    String portal,
    String iqn,
    int lun,
    Iscsiadm.Credentials credentials,
    int heartbeatIntervalSeconds,
    String leaseExpiresAt) {

  static MountedSession from(JsonNode session) {
    JsonNode target = session.path("target");
    JsonNode chap = session.path("chap");
    JsonNode mutual = chap.path("mutual");
    Iscsiadm.Credentials targetProves =
        mutual.isObject()
            ? new Iscsiadm.Credentials(
                mutual.path("username").asText(), mutual.path("secret").asText(), null)
            : null;
    return new MountedSession(
        session.path("id").asText(),
        target.path("portal").asText(),
        target.path("iqn").asText(),
        target.path("lun").asInt(-1),
        new Iscsiadm.Credentials(
            chap.path("username").asText(), chap.path("secret").asText(), targetProves),
        Math.max(1, session.path("heartbeatIntervalSeconds").asInt(30)),
        session.path("leaseExpiresAt").asText());
  }
}
