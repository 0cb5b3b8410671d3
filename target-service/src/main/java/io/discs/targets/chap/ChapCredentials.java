package io.discs.targets.chap;

/** One side's CHAP name and secret, as a target is made with them. The secret never prints. */
public record ChapCredentials(String user, String secret) {
  @Override
  public String toString() {
    return "ChapCredentials[" + user + "]";
  }
}
