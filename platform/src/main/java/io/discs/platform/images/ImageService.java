package io.discs.platform.images;

import io.discs.platform.Caller;
import io.vertx.codegen.annotations.ProxyGen;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import java.util.List;

/** Stored images and their metadata. Bytes never travel over the event bus. */
@ProxyGen
@VertxGen
public interface ImageService {
  int MAX_PAGE = 500;

  /** Images whose name contains {@code nameContains} (any when null), oldest first. */
  Future<List<Image>> list(String nameContains, int offset, int limit);

  Future<Image> get(String id);

  /** Removes an image no target or session uses; fails with 409 otherwise. */
  Future<Void> delete(String id, Caller caller);
}
