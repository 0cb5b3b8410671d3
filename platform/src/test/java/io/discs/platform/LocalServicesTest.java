package io.discs.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocalServicesTest {

  interface Greeter {
    String greet();
  }

  @Test
  void aServiceIsFoundOnTheVertxItWasRegisteredWithAndNowhereElse() throws Exception {
    Vertx first = Vertx.vertx();
    Vertx second = Vertx.vertx();
    try {
      Greeter greeter = () -> "hello";
      LocalServices.of(first).register(Greeter.class, greeter);

      assertThat(LocalServices.of(first).find(Greeter.class)).containsSame(greeter);
      assertThat(LocalServices.of(second).find(Greeter.class)).isEmpty();

      LocalServices.of(first).unregister(Greeter.class);
      assertThat(LocalServices.of(first).find(Greeter.class)).isEmpty();
    } finally {
      first.close().await(10, TimeUnit.SECONDS);
      second.close().await(10, TimeUnit.SECONDS);
    }
  }
}
