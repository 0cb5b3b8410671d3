package io.discs.targets;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** Target rows in memory, with the table's rules for which start of which node a row is. */
final class InMemoryTargetRows implements TargetRows {
  final Map<UUID, StoredTarget> rows = new ConcurrentHashMap<>();

  @Override
  public Future<List<StoredTarget>> list() {
    return Future.succeededFuture(List.copyOf(rows.values()));
  }

  @Override
  public Future<List<StoredTarget>> on(NodeIdentity node) {
    return Future.succeededFuture(
        rows.values().stream().filter(t -> node.equals(t.node())).toList());
  }

  @Override
  public Future<List<StoredTarget>> sealedOn(NodeIdentity node) {
    return on(node);
  }

  @Override
  public Future<List<StoredTarget>> forgetEarlierStarts(NodeIdentity node) {
    return Future.succeededFuture(
        remove(
            t ->
                t.node() == null
                    || t.node().name().equals(node.name())
                        && !t.node().incarnation().equals(node.incarnation())));
  }

  @Override
  public Future<List<StoredTarget>> forgetStart(NodeIdentity node) {
    return Future.succeededFuture(remove(t -> node.equals(t.node())));
  }

  @Override
  public Future<Optional<StoredTarget>> get(UUID id) {
    return Future.succeededFuture(Optional.ofNullable(rows.get(id)));
  }

  @Override
  public Future<Boolean> servesImage(UUID imageId) {
    return Future.succeededFuture(
        rows.values().stream().anyMatch(t -> imageId.equals(t.imageId())));
  }

  @Override
  public Future<Void> insert(StoredTarget target) {
    rows.put(target.id(), target);
    return Future.succeededFuture();
  }

  @Override
  public Future<Boolean> delete(UUID id) {
    return Future.succeededFuture(rows.remove(id) != null);
  }

  @Override
  public synchronized Future<Boolean> changeDisc(
      UUID id, UUID expected, UUID imageId, String sha256) {
    StoredTarget row = rows.get(id);
    if (row == null || !row.drive() || !java.util.Objects.equals(row.imageId(), expected)) {
      return Future.succeededFuture(false);
    }
    rows.put(id, row.withDisc(imageId, sha256));
    return Future.succeededFuture(true);
  }

  @Override
  public Future<Long> countOn(NodeIdentity node) {
    return Future.succeededFuture(
        rows.values().stream().filter(t -> node.equals(t.node())).count());
  }

  private synchronized List<StoredTarget> remove(Predicate<StoredTarget> which) {
    List<StoredTarget> removed = new ArrayList<>();
    for (StoredTarget target : List.copyOf(rows.values())) {
      if (which.test(target)) {
        rows.remove(target.id());
        removed.add(target);
      }
    }
    return removed;
  }
}
