package io.discs.companion;

/** The discs API's paths the companion calls, from the one base they all share. */
final class ApiPaths {
  static final String BASE = "/api/v1";
  static final String TOKEN = BASE + "/auth/token";
  static final String SESSIONS = BASE + "/sessions";
  static final String DISCOVERY = BASE + "/discovery";
  static final String UPLOADS = BASE + "/uploads";
  static final String DRIVES = BASE + "/drives";

  private ApiPaths() {}

  static String session(String id) {
    return SESSIONS + "/" + id;
  }

  static String heartbeat(String sessionId) {
    return session(sessionId) + "/heartbeat";
  }

  static String image(String id) {
    return BASE + "/images/" + id;
  }
}
