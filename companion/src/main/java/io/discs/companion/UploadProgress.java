package io.discs.companion;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * How an upload is going, for a person: one line redrawn in place on a terminal (bytes, rate, time
 * left), a plain line per tenth otherwise, nothing at all when the output is for a program.
 */
final class UploadProgress {
  enum Style {
    TERMINAL,
    LINES,
    QUIET
  }

  private final PrintWriter err;
  private final Style style;
  private final long total;
  private final long startedAt = System.nanoTime();
  private final long startOffset;
  private int lastTenth = -1;

  UploadProgress(PrintWriter err, Style style, long total, long startOffset) {
    this.err = err;
    this.style = style;
    this.total = total;
    this.startOffset = startOffset;
  }

  void at(long offset) {
    if (style == Style.QUIET) {
      return;
    }
    double seconds = Math.max((System.nanoTime() - startedAt) / 1e9, 1e-3);
    double rate = (offset - startOffset) / seconds;
    String left = rate > 0 ? clock(Duration.ofSeconds((long) ((total - offset) / rate))) : "--:--";
    String line =
        String.format(
            "%3d%%  %s / %s  %s/s  %s left",
            total == 0 ? 100 : (int) (offset * 100 / total),
            bytes(offset),
            bytes(total),
            bytes((long) rate),
            left);
    if (style == Style.TERMINAL) {
      err.print("\r" + line + "   ");
      err.flush();
      return;
    }
    int tenth = total == 0 ? 10 : (int) (offset * 10 / total);
    if (tenth != lastTenth) {
      lastTenth = tenth;
      err.println(line);
    }
  }

  void note(String message) {
    if (style == Style.QUIET) {
      return;
    }
    err.println((style == Style.TERMINAL ? "\r\n" : "") + message);
  }

  void done() {
    if (style == Style.TERMINAL) {
      err.println();
    }
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = n;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format("%.1f %s", value, units[unit]);
  }

  private static String clock(Duration left) {
    long s = left.toSeconds();
    return s >= 3600
        ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format("%d:%02d", s / 60, s % 60);
  }
}
