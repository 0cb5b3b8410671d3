package io.discs.images.upload;

import io.discs.images.store.ImageStore;
import io.discs.platform.error.DomainErrors;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Set;
import java.util.UUID;

/**
 * Resumable uploads on this node's disk: one file each in the store's resumable folder, appended to
 * with the same staged, direct writes as a single upload ({@link UploadSink}); only this node can
 * continue them.
 */
public final class FileResumableBytes implements ResumableBytes {
  private static final int REHASH_BLOCK = 1 << 20;

  private final WorkerExecutor io;
  private final ImageStore store;
  private final UploadSinks sinks;
  private final FileUploadStore uploads;

  public FileResumableBytes(
      WorkerExecutor io, ImageStore store, UploadSinks sinks, FileUploadStore uploads) {
    this.io = io;
    this.store = store;
    this.sinks = sinks;
    this.uploads = uploads;
  }

  @Override
  public Future<Void> create(UUID id) {
    return io.executeBlocking(() -> store.newResumableFile(id), false).mapEmpty();
  }

  @Override
  public Future<ChunkSink> append(UploadRows.Row row, MessageDigest sha256, boolean checkChunk) {
    return sinks
        .append(
            store.resumableFile(row.id()),
            row.received(),
            sha256,
            checkChunk,
            row.length() - row.received())
        .map(sink -> sink);
  }

  @Override
  public Future<MessageDigest> rehash(UploadRows.Row row) {
    Path file = store.resumableFile(row.id());
    long upTo = row.received();
    return io.executeBlocking(
        () -> {
          MessageDigest sha256 = UploadMeter.newSha256();
          if (!Files.exists(file)) {
            throw DomainErrors.gone("the upload's bytes are gone");
          }
          try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() < upTo) {
              throw DomainErrors.gone("the upload's file is shorter than its recorded offset");
            }
            ByteBuffer block = ByteBuffer.allocate(REHASH_BLOCK);
            long at = 0;
            while (at < upTo) {
              block.clear().limit((int) Math.min(REHASH_BLOCK, upTo - at));
              int read = channel.read(block, at);
              if (read < 0) {
                throw new IOException("unexpected end of " + file);
              }
              sha256.update(block.array(), 0, read);
              at += read;
            }
          }
          return sha256;
        },
        false);
  }

  @Override
  public Future<byte[]> prefix(UploadRows.Row row, int length) {
    Path file = store.resumableFile(row.id());
    return io.executeBlocking(
        () -> {
          try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(length);
          }
        },
        false);
  }

  @Override
  public BlobCommit finished(UploadRows.Row row) {
    return uploads.commitFile(store.resumableFile(row.id()));
  }

  @Override
  public Future<Void> delete(UUID id) {
    return io.executeBlocking(() -> Files.deleteIfExists(store.resumableFile(id)), false)
        .mapEmpty();
  }

  @Override
  public Future<Set<UUID>> held() {
    return io.executeBlocking(store::resumableUploads, false);
  }
}
