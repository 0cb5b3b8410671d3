package io.discs.images.upload;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Which request's objects hold a resumable upload's parts in a bucket. Part {@code n} (from 1)
 * holds bytes {@code [(n-1)·P, n·P)} for the part size {@code P}; each request writes its parts
 * under its own writer id, so a run {@code firstPart:writer} says that from {@code firstPart} on
 * (until the next run) the parts are that writer's. A request that continues an upload at part
 * {@code k} rewrites part {@code k} whole (with the bytes already in it) and every later one, so
 * the runs of an upload only ever grow at their end. Stored in the upload's row as text ({@link
 * #format()}).
 */
public record PieceRuns(List<Run> runs) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern FORMAT =
      Pattern.compile("[0-9]+:[0-9a-f]{16}(,[0-9]+:[0-9a-f]{16})*");

  /** From {@code firstPart} on, the parts are {@code writer}'s. */
  public record Run(int firstPart, String writer) {}

  public PieceRuns {
    runs = List.copyOf(runs);
  }

  public static PieceRuns none() {
    return new PieceRuns(List.of());
  }

  /** A new request's writer id: 16 hex digits, unguessable so that two requests never share one. */
  public static String newWriter() {
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  /** The runs a row's text says; none for null. */
  public static PieceRuns parse(String text) {
    if (text == null || text.isEmpty()) {
      return none();
    }
    if (!FORMAT.matcher(text).matches()) {
      throw new IllegalArgumentException("not a list of piece runs: " + text);
    }
    List<Run> runs = new ArrayList<>();
    for (String run : text.split(",")) {
      int colon = run.indexOf(':');
      runs.add(new Run(Integer.parseInt(run.substring(0, colon)), run.substring(colon + 1)));
    }
    return new PieceRuns(runs);
  }

  /** The text for the row, or null when there are no runs. */
  public String format() {
    if (runs.isEmpty()) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    for (Run run : runs) {
      text.append(text.isEmpty() ? "" : ",")
          .append(run.firstPart())
          .append(':')
          .append(run.writer());
    }
    return text.toString();
  }

  /** These runs with {@code writer}'s parts from {@code firstPart} on in place of any before. */
  public PieceRuns from(int firstPart, String writer) {
    List<Run> kept = new ArrayList<>();
    for (Run run : runs) {
      if (run.firstPart() < firstPart) {
        kept.add(run);
      }
    }
    kept.add(new Run(firstPart, writer));
    return new PieceRuns(kept);
  }

  /** The writer whose object holds part {@code part}. */
  public String writerOf(int part) {
    String writer = null;
    for (Run run : runs) {
      if (run.firstPart() <= part) {
        writer = run.writer();
      }
    }
    if (writer == null) {
      throw new IllegalStateException("no request wrote part " + part);
    }
    return writer;
  }

  /** The object key of part {@code part} of {@code upload}, under {@code folder}. */
  public String keyOf(String folder, UUID upload, int part) {
    return folder + upload + "/" + writerOf(part) + "/" + part;
  }
}
