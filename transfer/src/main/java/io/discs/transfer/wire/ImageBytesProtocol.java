package io.discs.transfer.wire;

import io.discs.platform.Caller;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.images.Image;
import io.discs.platform.images.ImageBlobs;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * How a gateway moves image bytes to and from an image node on another host: over mutual TLS
 * between members, with the member's proof in {@link #PROOF_HEADER} and the caller sealed by the
 * member that authenticated it. An upload: {@code PUT} {@link #PATH}, the image's bytes as the body
 * and the upload's request (name, digest, length, caller) as base64url JSON in {@link
 * #REQUEST_HEADER}; the answer is the image as JSON with {@code created}, or an error's status and
 * {@code detail}. A download: {@code GET} {@link #blobPath} with {@code offset} and {@code length},
 * the bytes as the body. Both sides use this class, so they cannot drift apart.
 */
public final class ImageBytesProtocol {
  public static final String PATH = "/internal/v1/images";
  public static final String BLOBS_PATH = "/internal/v1/blobs";

  /** A proof derived from the cluster secret ({@code MemberCredentials}), never the secret. */
  public static final String PROOF_HEADER = "X-Discs-Cluster-Proof";

  public static final String REQUEST_HEADER = "X-Discs-Ingest";

  private ImageBytesProtocol() {}

  public static String blobPath(String sha256, long offset, long length) {
    return InternalOperation.READ_BLOB.path(sha256) + "?offset=" + offset + "&length=" + length;
  }

  /** Compared in constant time: how long a wrong guess takes says nothing of the proof. */
  public static boolean authentic(String presented, String proof) {
    return presented != null
        && MessageDigest.isEqual(
            presented.getBytes(StandardCharsets.UTF_8), proof.getBytes(StandardCharsets.UTF_8));
  }

  public static String encodeRequest(ImageBlobs.IngestRequest request) {
    JsonObject json =
        new JsonObject()
            .put("name", request.name())
            .put("sha256", request.expectedSha256())
            .put("length", request.declaredLength())
            .put("caller", request.caller().toJson());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.toBuffer().getBytes());
  }

  /**
   * @throws IllegalArgumentException when the header is not one {@link #encodeRequest} made
   */
  public static ImageBlobs.IngestRequest decodeRequest(String header) {
    if (header == null) {
      throw new IllegalArgumentException("no " + REQUEST_HEADER + " header");
    }
    try {
      JsonObject json = new JsonObject(Buffer.buffer(Base64.getUrlDecoder().decode(header)));
      JsonObject caller = json.getJsonObject("caller");
      if (caller == null) {
        throw new IllegalArgumentException("no caller");
      }
      return new ImageBlobs.IngestRequest(
          json.getString("name"),
          json.getString("sha256"),
          json.getLong("length"),
          new Caller(caller));
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("a malformed " + REQUEST_HEADER + " header", e);
    }
  }

  public static JsonObject encodeResult(ImageBlobs.IngestResult result) {
    return new JsonObject().put("image", result.image().toJson()).put("created", result.created());
  }

  public static JsonObject encodeFailure(String detail) {
    return new JsonObject().put("detail", detail);
  }

  /**
   * The image node's answer, or its failure as the same {@link ServiceException} a local ingest
   * would have failed with (the gateway answers both alike).
   */
  public static ImageBlobs.IngestResult decodeAnswer(int status, Buffer body) {
    JsonObject json;
    try {
      json = body.toJsonObject();
    } catch (DecodeException e) {
      json = new JsonObject();
    }
    if (status >= HttpStatus.BAD_REQUEST) {
      throw new ServiceException(
          status, json.getString("detail", "the image node answered " + status));
    }
    return new ImageBlobs.IngestResult(
        new Image(json.getJsonObject("image")), json.getBoolean("created", false));
  }
}
