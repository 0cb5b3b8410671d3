package io.discs.platform.health;

import io.discs.platform.Addresses;
import io.discs.platform.error.HttpStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * Answers readiness pings for one service on {@link Addresses#health(String)}, after running the
 * service's own check (usually a trivial query on its database).
 */
public final class HealthResponder {
  private HealthResponder() {}

  public static Future<MessageConsumer<JsonObject>> register(
      Vertx vertx, String service, Supplier<Future<?>> check) {
    MessageConsumer<JsonObject> consumer =
        vertx
            .eventBus()
            .consumer(
                Addresses.health(service),
                message ->
                    check
                        .get()
                        .onComplete(
                            result -> {
                              if (result.succeeded()) {
                                message.reply(
                                    new JsonObject().put("service", service).put("status", "UP"));
                              } else {
                                message.fail(
                                    HttpStatus.SERVICE_UNAVAILABLE, service + " is not ready");
                              }
                            }));
    return consumer.completion().map(consumer);
  }
}
