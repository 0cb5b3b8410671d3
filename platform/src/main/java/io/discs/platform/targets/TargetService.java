package io.discs.platform.targets;

import io.discs.platform.Caller;
import io.vertx.codegen.annotations.ProxyGen;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import java.util.List;

/** Read-only iSCSI targets, each for exactly one initiator with its own CHAP secret. */
@ProxyGen
@VertxGen
public interface TargetService {

  Future<Target> create(TargetRequest request, Caller caller);

  Future<Void> delete(String id, Caller caller);

  /**
   * Puts an image into a drive (made with {@link TargetRequest#setDrive}), in place of any disc,
   * fetching it onto the drive's node first; the drive's sessions stay logged in and hear of the
   * change. 409 where the backend cannot change discs, or the image is being deleted.
   */
  Future<Target> insert(String id, String imageId, Caller caller);

  /**
   * Takes a drive's disc out. 409 while an initiator locks it in (PREVENT MEDIUM REMOVAL), unless
   * {@code force}; the initiator is asked to let go either way.
   */
  Future<Target> eject(String id, boolean force, Caller caller);

  /**
   * Brings the image's bytes onto this node (its cache), so that a target of it is then made at
   * once. Called with a long deadline: a fetch takes as long as the image is big.
   */
  Future<Void> prepare(String imageId, Caller caller);

  /**
   * How many of the image's bytes this node has fetched so far, while it fetches them; else null.
   */
  Future<FetchProgress> fetchProgress(String imageId);

  /** The CHAP credentials of a target, to the one who made it (its session's owner) only. */
  Future<Chap> chapOf(String id, Caller caller);

  Future<List<Target>> list();

  Future<Target> get(String id);

  /** Whether any target serves the image: asked by image-service before it deletes one. */
  Future<Boolean> servesImage(String imageId);

  /**
   * Initiators the backend reports as logged in to discs's targets. {@code connectedSince} is when
   * discs first saw the connection; backends do not report it.
   */
  Future<List<Connection>> connections();
}
