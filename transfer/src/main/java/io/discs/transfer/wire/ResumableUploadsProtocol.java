package io.discs.transfer.wire;

import io.discs.platform.Caller;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.images.ResumableUploads.Appended;
import io.discs.platform.images.ResumableUploads.Chunk;
import io.discs.platform.images.ResumableUploads.NewUpload;
import io.discs.platform.images.ResumableUploads.UploadState;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.time.Instant;
import java.util.Base64;

/**
 * {@link ResumableUploads} between a gateway and an image node's internal listener. {@code POST}
 * {@link #PATH} creates, {@code GET}, {@code PATCH} (the chunk as the body) and {@code DELETE} on
 * {@code PATH/<id>} ask, append and terminate; what each call carries (caller, new upload, chunk)
 * rides in {@link #CALL_HEADER} as base64url JSON, and the cluster secret as for image bytes.
 * Answers are JSON; failures carry their status and {@code detail}, so a gateway answers them as a
 * local service's.
 */
public final class ResumableUploadsProtocol {
  public static final String PATH = "/internal/v1/uploads";
  public static final String CALL_HEADER = "X-Discs-Upload-Call";

  private ResumableUploadsProtocol() {}

  public static String path(String id) {
    return PATH + "/" + id;
  }

  public static String encodeCaller(Caller caller) {
    return encode(new JsonObject().put("caller", caller.toJson()));
  }

  public static String encodeNew(NewUpload upload) {
    return encode(
        new JsonObject()
            .put("caller", upload.caller().toJson())
            .put("name", upload.name())
            .put("length", upload.length())
            .put("sha256", upload.expectedSha256()));
  }

  public static String encodeChunk(Chunk chunk, Caller caller) {
    return encode(
        new JsonObject()
            .put("caller", caller.toJson())
            .put("offset", chunk.offset())
            .put("declaredLength", chunk.declaredLength())
            .put("sha256", chunk.sha256()));
  }

  /**
   * @throws IllegalArgumentException when the header is not one this class made
   */
  public static JsonObject decodeCall(String header) {
    if (header == null) {
      throw new IllegalArgumentException("no " + CALL_HEADER + " header");
    }
    try {
      JsonObject call = new JsonObject(Buffer.buffer(Base64.getUrlDecoder().decode(header)));
      if (call.getJsonObject("caller") == null) {
        throw new IllegalArgumentException("no caller");
      }
      return call;
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("a malformed " + CALL_HEADER + " header", e);
    }
  }

  public static Caller caller(JsonObject call) {
    return new Caller(call.getJsonObject("caller"));
  }

  public static NewUpload newUpload(JsonObject call) {
    return new NewUpload(
        call.getString("name"), call.getLong("length"), call.getString("sha256"), caller(call));
  }

  public static Chunk chunk(JsonObject call) {
    return new Chunk(
        call.getLong("offset"), call.getLong("declaredLength"), call.getBinary("sha256"));
  }

  public static JsonObject encodeState(UploadState state) {
    return new JsonObject()
        .put("id", state.id())
        .put("name", state.name())
        .put("length", state.length())
        .put("offset", state.offset())
        .put("expiresAt", state.expiresAt().toString())
        .put("imageId", state.imageId());
  }

  public static JsonObject encodeAppended(Appended appended) {
    JsonObject json = new JsonObject().put("state", encodeState(appended.state()));
    if (appended.image() != null) {
      json.put("result", ImageBytesProtocol.encodeResult(appended.image()));
    }
    return json;
  }

  /** The image node's answer, or its failure as the {@link ServiceException} it stood for. */
  public static UploadState decodeState(int status, Buffer body) {
    return state(answer(status, body));
  }

  public static Appended decodeAppended(int status, Buffer body) {
    JsonObject json = answer(status, body);
    JsonObject result = json.getJsonObject("result");
    return new Appended(
        state(json.getJsonObject("state")),
        result == null ? null : ImageBytesProtocol.decodeAnswer(HttpStatus.OK, result.toBuffer()));
  }

  /** An answer without a body (terminate), or its failure. */
  public static void decodeDone(int status, Buffer body) {
    answer(status, body);
  }

  private static JsonObject answer(int status, Buffer body) {
    JsonObject json;
    try {
      json = body.length() == 0 ? new JsonObject() : body.toJsonObject();
    } catch (DecodeException e) {
      json = new JsonObject();
    }
    if (status >= HttpStatus.BAD_REQUEST) {
      throw new ServiceException(
          status, json.getString("detail", "the image node answered " + status));
    }
    return json;
  }

  private static UploadState state(JsonObject json) {
    return new UploadState(
        json.getString("id"),
        json.getString("name"),
        json.getLong("length"),
        json.getLong("offset"),
        Instant.parse(json.getString("expiresAt")),
        json.getString("imageId"));
  }

  private static String encode(JsonObject json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.toBuffer().getBytes());
  }
}
