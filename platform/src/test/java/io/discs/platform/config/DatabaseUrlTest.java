package io.discs.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

  @Test
  void acceptsTheUsualSpellings() {
    DatabaseUrl expected = new DatabaseUrl("db", 5432, "discs", "app", "p@ss:word");
    assertThat(DatabaseUrl.parse("postgresql://app:p%40ss%3Aword@db/discs")).isEqualTo(expected);
    assertThat(DatabaseUrl.parse("postgres://app:p%40ss%3Aword@db:5432/discs")).isEqualTo(expected);
    assertThat(DatabaseUrl.parse("jdbc:postgresql://db/discs?user=app&password=p%40ss%3Aword"))
        .isEqualTo(expected);
  }

  @Test
  void buildsAJdbcUrlWithoutCredentials() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://app:secret@10.1.2.3:6000/discs");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://10.1.2.3:6000/discs");
    assertThat(url.toString()).doesNotContain("secret");
  }

  @Test
  void rejectsOtherDatabases() {
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://db/discs"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql:///discs"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
