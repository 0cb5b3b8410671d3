package io.discs.gateway.images;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One byte range of a representation of {@code size} bytes (RFC 9110 14.1.2), inclusive ends. */
public record ByteRange(long start, long end) {
  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  public long length() {
    return end - start + 1;
  }

  /** What a Range header asks for: nothing (serve it all), a range, or something unsatisfiable. */
  public sealed interface Request permits Whole, Partial, Unsatisfiable {}

  public record Whole() implements Request {}

  public record Partial(ByteRange range) implements Request {}

  public record Unsatisfiable() implements Request {}

  /** Several ranges or a malformed header are served whole, as RFC 9110 allows. */
  public static Request parse(String header, long size) {
    if (header == null) {
      return new Whole();
    }
    Matcher matcher = SINGLE.matcher(header.trim());
    if (!matcher.matches() || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
      return new Whole();
    }
    Optional<Long> first = number(matcher.group(1));
    Optional<Long> last = number(matcher.group(2));
    if ((!matcher.group(1).isEmpty() && first.isEmpty())
        || (!matcher.group(2).isEmpty() && last.isEmpty())) {
      return new Whole();
    }
    if (first.isEmpty()) {
      long suffix = last.get();
      if (suffix == 0 || size == 0) {
        return new Unsatisfiable();
      }
      return new Partial(new ByteRange(Math.max(0, size - suffix), size - 1));
    }
    long start = first.get();
    if (start >= size) {
      return new Unsatisfiable();
    }
    long end = last.map(l -> Math.min(l, size - 1)).orElse(size - 1);
    if (end < start) {
      return new Whole();
    }
    return new Partial(new ByteRange(start, end));
  }

  private static Optional<Long> number(String digits) {
    if (digits.isEmpty() || digits.length() > 18) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(digits));
  }
}
