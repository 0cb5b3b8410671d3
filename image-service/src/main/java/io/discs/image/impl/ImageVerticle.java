package io.discs.image.impl;

import io.discs.platform.Addresses;
import io.discs.platform.image.ImageService;
import io.discs.platform.launch.ServiceBindings;
import io.discs.platform.launch.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** image-service's front door: binds {@link ImageService} on the event bus. */
public final class ImageVerticle extends VerticleBase {
  public static final String NAME = "image-service";

  private final ServiceContext context;

  public ImageVerticle(ServiceContext context) {
    this.context = context;
  }

  @Override
  public Future<?> start() {
    var service = new ImageServiceImpl(new ImageRepository(context.pool()), context.events());
    return ServiceBindings.bind(vertx, NAME, Addresses.IMAGE_SERVICE, ImageService.class, service,
        context.pool());
  }
}
