package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.discs.testing.security.SecurityReport;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Schemathesis (PyPI) against the OpenAPI document the server serves, with an admin's token: no
 * answer is a 5xx, and every answer's status, content type, headers and body match the document.
 */
@Tag("security")
class SchemathesisTest {
  private static final String SCHEMATHESIS = "schemathesis==4.32.5";
  private static final String CHECKS =
      "not_a_server_error,status_code_conformance,content_type_conformance,"
          + "response_headers_conformance,response_schema_conformance";

  @Test
  void everyAnswerMatchesTheDocumentAndNoneIsAServerError() throws Exception {
    Path venv = schemathesis();
    Path hooks = Path.of("target", "schemathesis-hooks").toAbsolutePath();
    Files.createDirectories(hooks);
    try (InputStream in = getClass().getResourceAsStream("/schemathesis/discs_hooks.py")) {
      Files.copy(in, hooks.resolve("discs_hooks.py"), StandardCopyOption.REPLACE_EXISTING);
    }
    try (TestSystem system = TestSystem.start(Map.of())) {
      String base = "http://127.0.0.1:" + system.discs.httpPort();
      Processes.Result run =
          Processes.run(
              List.of(
                  "env",
                  // Schemathesis keeps a cache in its working directory: the build folder's.
                  "-C",
                  hooks.getParent().toString(),
                  "SCHEMATHESIS_HOOKS=discs_hooks",
                  "PYTHONPATH=" + hooks,
                  venv.resolve("bin/schemathesis").toString(),
                  "run",
                  base + "/api/v1/openapi.yaml",
                  "--url",
                  base,
                  "-H",
                  "Authorization: Bearer " + system.adminToken(),
                  "--checks",
                  CHECKS,
                  "--max-examples",
                  "25",
                  "--seed",
                  "20261126",
                  // Logging out would end the token the run uses.
                  "--exclude-path",
                  "/api/v1/auth/logout",
                  "--no-color"),
              Duration.ofMinutes(5));
      String output = run.output();
      String summary = output.substring(Math.max(0, output.lastIndexOf("Test cases:")));
      SecurityReport.record(
          "Schemathesis against the served OpenAPI document",
          "generated requests to every operation, with an admin's token (seed 20261126)",
          "no 5xx; status, content type, headers and body as documented",
          run.ok() ? "no failures" : "failures (see the test's output)");
      assertThat(run.ok())
          .as(output.length() > 20_000 ? output.substring(0, 20_000) : output)
          .isTrue();
      assertThat(summary).contains("passed");
    }
  }

  /** Schemathesis from PyPI into a virtual environment in the build folder, once per build. */
  private static Path schemathesis() throws Exception {
    SystemTools.require("python3", "python3-venv");
    Path venv = Path.of("target", "schemathesis-venv").toAbsolutePath();
    if (!Files.isExecutable(venv.resolve("bin/schemathesis"))) {
      Processes.check(List.of("python3", "-m", "venv", venv.toString()), Duration.ofMinutes(2));
      Processes.check(
          List.of(
              venv.resolve("bin/pip").toString(),
              "install",
              "--quiet",
              "--disable-pip-version-check",
              SCHEMATHESIS),
          Duration.ofMinutes(5));
    }
    return venv;
  }
}
