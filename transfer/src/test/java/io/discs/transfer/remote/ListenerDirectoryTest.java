package io.discs.transfer.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.config.HostPort;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ListenerDirectoryTest {
  private static final List<HostPort> NODES =
      List.of(
          HostPort.parse("10.0.0.1:7443"),
          HostPort.parse("10.0.0.2:7443"),
          HostPort.parse("10.0.0.3:7443"));

  @Test
  void everyCallerOrdersTheNodesTheSameWayForOneUpload() {
    String upload = UUID.randomUUID().toString();
    List<HostPort> reversed = new ArrayList<>(NODES);
    Collections.reverse(reversed);

    assertThat(ListenerDirectory.order(upload, NODES))
        .isEqualTo(ListenerDirectory.order(upload, reversed));
  }

  @Test
  void whenAnUploadsNodeGoesItsUploadsMoveAndNoOtherUploadMoves() {
    Map<HostPort, Integer> first = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      String upload = UUID.nameUUIDFromBytes(new byte[] {(byte) i, 7}).toString();
      List<HostPort> all = ListenerDirectory.order(upload, NODES);
      first.merge(all.get(0), 1, Integer::sum);
      List<HostPort> without = ListenerDirectory.order(upload, NODES.subList(0, 2));
      HostPort expected = all.get(0).equals(NODES.get(2)) ? all.get(1) : all.get(0);
      assertThat(without.get(0)).isEqualTo(expected);
    }
    assertThat(first.values()).as("spread over every node").allMatch(count -> count > 50);
  }

  @Test
  void aWithdrawnListenerIsNoLongerInTheOrder(Vertx vertx) throws Exception {
    ListenerDirectory.announce(vertx, NODES.get(0)).await(5, TimeUnit.SECONDS);
    ListenerDirectory.announce(vertx, NODES.get(1)).await(5, TimeUnit.SECONDS);
    ListenerDirectory.withdraw(vertx, NODES.get(0)).await(5, TimeUnit.SECONDS);

    assertThat(new ListenerDirectory(vertx).orderFor("u").await(5, TimeUnit.SECONDS))
        .containsExactly(NODES.get(1));
  }
}
