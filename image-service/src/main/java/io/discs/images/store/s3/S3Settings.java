package io.discs.images.store.s3;

import java.net.URI;

/**
 * Where the bucket is and how to reach it.
 *
 * @param endpoint a self-hosted service's address (Ceph RGW, MinIO, Garage, s3proxy…); null for AWS
 * @param region the bucket's region (any name a self-hosted service accepts)
 * @param accessKeyId null to take credentials from the usual AWS sources (environment, profile,
 *     instance role)
 * @param pathStyle {@code http://host/bucket/key} rather than {@code http://bucket.host/key}, as
 *     self-hosted services want
 */
public record S3Settings(
    URI endpoint,
    String bucket,
    String region,
    String accessKeyId,
    String secretAccessKey,
    boolean pathStyle) {

  @Override
  public String toString() {
    return "S3Settings[" + endpoint + ", bucket " + bucket + ", region " + region + "]";
  }
}
