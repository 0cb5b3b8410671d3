package io.discs.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigurationTableTest {

  @Test
  void theReadmesTableIsTheOneTheSettingsRender() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf(ConfigurationTable.HEADER);
    assertThat(start).as("the README has a configuration table").isNotNegative();
    int end = readme.indexOf("\n\n", start);
    String table = readme.substring(start, end + 1);

    assertThat(table)
        .as(
            "README.md's configuration table differs from Setting; replace it with the output of"
                + " io.discs.platform.config.ConfigurationTable")
        .isEqualTo(ConfigurationTable.markdown());
  }

  @Test
  void numbersAreCheckedAgainstTheBoundsTheTableShows() {
    assertThat(Setting.LEASE_SECONDS.help()).startsWith("10–86400");
    assertThat(Setting.LEASE_SECONDS.accepts()).isEqualTo("a number from 10 to 86400");
    assertThat(Setting.MAX_IMAGE_BYTES.help()).startsWith("65536 and up");
  }
}
