package io.discs.images;

import io.discs.platform.config.ServiceRole;
import io.discs.platform.launch.ServiceLauncher;

/** Runs image-service as a process of its own in a cluster. */
public final class ImageServiceMain {
  private ImageServiceMain() {}

  public static void main(String[] args) {
    ServiceLauncher.run(ServiceRole.IMAGES, ImageVerticle::new);
  }
}
