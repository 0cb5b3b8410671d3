package io.discs.targets;

import io.discs.platform.targets.DeviceType;
import io.discs.targets.chap.ChapCredentials;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Desired targets in PostgreSQL: the database is the truth the backend is reconciled against, so it
 * keeps what re-creating a target needs, CHAP secrets included (see the module README), sealed with
 * a key the database does not hold ({@link SecretBox}).
 */
final class TargetRepository implements TargetRows {
  private static final String COLUMNS =
      "id, iqn, image_id, image_sha256, initiator_iqn, device_type, "
          + "chap_user, chap_secret, mutual_user, mutual_secret, created_at, created_by, node, incarnation, drive";
  private static final String FROM = " FROM targets.targets";
  private static final String LIST = "SELECT " + COLUMNS + FROM + " ORDER BY created_at, id";
  private static final String ON_NODE =
      "SELECT " + COLUMNS + FROM + " WHERE node = $1 AND incarnation = $2 ORDER BY created_at, id";
  private static final String FORGET_EARLIER =
      "DELETE"
          + FROM
          + " WHERE node IS NULL OR incarnation IS NULL OR (node = $1 AND incarnation <> $2)"
          + " RETURNING "
          + COLUMNS;
  private static final String FORGET_START =
      "DELETE" + FROM + " WHERE node = $1 AND incarnation = $2 RETURNING " + COLUMNS;
  private static final String GET = "SELECT " + COLUMNS + FROM + " WHERE id = $1";
  private static final String SERVES_IMAGE =
      "SELECT EXISTS (SELECT 1 FROM targets.targets WHERE image_id = $1)";
  private static final String INSERT =
      """
      INSERT INTO targets.targets (id, iqn, image_id, image_sha256, initiator_iqn, device_type, chap_user, chap_secret,
                           mutual_user, mutual_secret, created_by, node, incarnation, drive)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
      """;
  private static final String DELETE = "DELETE FROM targets.targets WHERE id = $1";
  private static final String CHANGE_DISC =
      "UPDATE targets.targets SET image_id = $3, image_sha256 = $4"
          + " WHERE id = $1 AND drive AND image_id IS NOT DISTINCT FROM $2";
  private static final String COUNT_ON_NODE =
      "SELECT count(*) FROM targets.targets WHERE node = $1 AND incarnation = $2";

  private final Pool pool;
  private final SecretBox secrets;

  TargetRepository(Pool pool, SecretBox secrets) {
    this.pool = pool;
    this.secrets = secrets;
  }

  /** Every node's rows, CHAP secrets left sealed (another node's open only with its key). */
  @Override
  public Future<List<StoredTarget>> list() {
    return pool.query(LIST).execute().map(this::sealed);
  }

  /** The rows this start of this node serves. */
  @Override
  public Future<List<StoredTarget>> on(NodeIdentity node) {
    return pool.preparedQuery(ON_NODE)
        .execute(Tuple.of(node.name(), node.incarnation()))
        .map(this::opened);
  }

  @Override
  public Future<List<StoredTarget>> sealedOn(NodeIdentity node) {
    return pool.preparedQuery(ON_NODE)
        .execute(Tuple.of(node.name(), node.incarnation()))
        .map(this::sealed);
  }

  /**
   * Removes the rows of this node's earlier starts (and rows that name no node, from before nodes
   * had names): their targets died with that process. Answers what it removed.
   */
  @Override
  public Future<List<StoredTarget>> forgetEarlierStarts(NodeIdentity node) {
    return pool.preparedQuery(FORGET_EARLIER)
        .execute(Tuple.of(node.name(), node.incarnation()))
        .map(this::sealed);
  }

  /** Removes the rows of one start of a node (another node, lost); answers what it removed. */
  @Override
  public Future<List<StoredTarget>> forgetStart(NodeIdentity node) {
    return pool.preparedQuery(FORGET_START)
        .execute(Tuple.of(node.name(), node.incarnation()))
        .map(this::sealed);
  }

  @Override
  public Future<Optional<StoredTarget>> get(UUID id) {
    return pool.preparedQuery(GET)
        .execute(Tuple.of(id))
        .map(rows -> sealed(rows).stream().findFirst());
  }

  @Override
  public Future<Boolean> servesImage(UUID imageId) {
    return pool.preparedQuery(SERVES_IMAGE)
        .execute(Tuple.of(imageId))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  @Override
  public Future<Void> insert(StoredTarget target) {
    ChapCredentials mutual = target.mutualChap();
    return pool.preparedQuery(INSERT)
        .execute(
            Tuple.tuple()
                .addUUID(target.id())
                .addString(target.iqn())
                .addUUID(target.imageId())
                .addString(target.sha256())
                .addString(target.initiatorIqn())
                .addString(target.deviceType().wireName())
                .addString(target.chap().user())
                .addString(secrets.seal(target.chap().secret(), target.id() + "/chap"))
                .addString(mutual == null ? null : mutual.user())
                .addString(
                    mutual == null ? null : secrets.seal(mutual.secret(), target.id() + "/mutual"))
                .addString(target.createdBy())
                .addString(target.node().name())
                .addUUID(target.node().incarnation())
                .addBoolean(target.drive()))
        .mapEmpty();
  }

  @Override
  public Future<Boolean> changeDisc(UUID id, UUID expected, UUID imageId, String sha256) {
    return pool.preparedQuery(CHANGE_DISC)
        .execute(Tuple.of(id, expected, imageId, sha256))
        .map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Future<Boolean> delete(UUID id) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
  }

  @Override
  public Future<Long> countOn(NodeIdentity node) {
    return pool.preparedQuery(COUNT_ON_NODE)
        .execute(Tuple.of(node.name(), node.incarnation()))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Rows with their CHAP secrets opened: only this node's, to make their targets again. */
  private List<StoredTarget> opened(RowSet<Row> rows) {
    return all(rows, true);
  }

  /** Rows without their CHAP secrets ({@code chap} and {@code mutualChap} null). */
  private List<StoredTarget> sealed(RowSet<Row> rows) {
    return all(rows, false);
  }

  private List<StoredTarget> all(RowSet<Row> rows, boolean open) {
    List<StoredTarget> targets = new ArrayList<>();
    for (Row row : rows) {
      String mutualUser = row.getString("mutual_user");
      UUID id = row.getUUID("id");
      targets.add(
          new StoredTarget(
              id,
              row.getString("iqn"),
              row.getUUID("image_id"),
              row.getString("image_sha256"),
              row.getString("initiator_iqn"),
              DeviceType.fromWire(row.getString("device_type")),
              !open
                  ? null
                  : new ChapCredentials(
                      row.getString("chap_user"),
                      secrets.open(row.getString("chap_secret"), id + "/chap")),
              mutualUser == null || !open
                  ? null
                  : new ChapCredentials(
                      mutualUser, secrets.open(row.getString("mutual_secret"), id + "/mutual")),
              row.getOffsetDateTime("created_at").toInstant(),
              row.getString("created_by"),
              row.getString("node") == null || row.getUUID("incarnation") == null
                  ? null
                  : new NodeIdentity(row.getString("node"), row.getUUID("incarnation")),
              row.getBoolean("drive")));
    }
    return targets;
  }
}
