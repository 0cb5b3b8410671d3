package io.discs.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.discs.platform.Caller;
import io.discs.platform.targets.NodePresence;
import io.discs.platform.targets.TargetNodes;
import io.discs.platform.targets.TargetService;
import io.vertx.serviceproxy.ServiceException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetPlacementTest {
  private static final Caller USER = new Caller("uma", List.of("user"), "192.0.2.7");
  private static final Caller OPERATOR = new Caller("olga", List.of("operator"), "192.0.2.8");

  private final TargetNodes nodes = new TargetNodes(Duration.ofSeconds(30), Clock.systemUTC());
  private final TargetService anyNode = service("any");
  private final TargetPlacement placement =
      new TargetPlacement(
          anyNode,
          service("fetch any"),
          nodes,
          TargetPlacementTest::service,
          name -> service("?"),
          name -> service("fetch " + name));

  @Test
  void onlyOperatorsPinAndOnlyToALiveNode() {
    nodes.heard(new NodePresence("a:3260", "1", "a:3260", 0));
    assertCode(() -> placement.check("a:3260", USER), 403);
    assertCode(() -> placement.check("c:3260", OPERATOR), 409);
    placement.check("a:3260", OPERATOR);
    placement.check(null, USER);
  }

  @Test
  void checkingAPinDoesNotCountTowardTheNodeOnlyPlacingDoes() {
    nodes.heard(new NodePresence("a:3260", "1", "a:3260", 0));
    nodes.heard(new NodePresence("b:3260", "1", "b:3260", 0));
    // A request checked and then refused (its quota, an unknown image) places nothing.
    placement.check("a:3260", OPERATOR);
    assertThat(placement.place(null).result().targets().toString()).isEqualTo("a:3260");
    TargetPlacement.Placed onB = placement.place(null).result();
    assertThat(onB.targets().toString()).isEqualTo("b:3260");
    assertThat(onB.fetches().toString()).as("the same node's long calls").isEqualTo("fetch b:3260");
    assertThat(placement.place("b:3260").result().targets().toString()).isEqualTo("b:3260");
    assertThat(placement.place(null).result().targets().toString()).isEqualTo("a:3260");
  }

  @Test
  void aPinnedNodeThatLeftBeforePlacementIsAConflict() {
    assertThat(placement.place("a:3260").cause())
        .isInstanceOf(ServiceException.class)
        .satisfies(e -> assertThat(((ServiceException) e).failureCode()).isEqualTo(409));
  }

  @Test
  void withNoNodeHeardFromTheSharedAddressServes() {
    TargetPlacement.Placed shared = placement.place(null).result();
    assertThat(shared.targets()).isSameAs(anyNode);
    assertThat(shared.fetches().toString()).as("with the long timeout").isEqualTo("fetch any");
    assertThat(shared.node()).isNull();
  }

  private static void assertCode(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int code) {
    assertThatThrownBy(call)
        .isInstanceOf(ServiceException.class)
        .satisfies(e -> assertThat(((ServiceException) e).failureCode()).isEqualTo(code));
  }

  /** A target-service that says only which node it stands for. */
  private static TargetService service(String node) {
    return (TargetService)
        Proxy.newProxyInstance(
            TargetService.class.getClassLoader(),
            new Class<?>[] {TargetService.class},
            (proxy, method, args) -> {
              if (method.getName().equals("toString")) {
                return node;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
