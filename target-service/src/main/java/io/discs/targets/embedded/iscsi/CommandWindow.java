package io.discs.targets.embedded.iscsi;

/**
 * The numbering of one session's commands and responses: which commands are in the window the
 * target advertises (ExpCmdSN to MaxCmdSN, RFC 7143 section 3.2.2.1), and the StatSN, ExpCmdSN and
 * MaxCmdSN every response carries. Serial-number arithmetic modulo 2^32 throughout.
 */
final class CommandWindow {
  /** Commands an initiator may have outstanding; also how many reads may wait per connection. */
  static final int SIZE = 64;

  private long statSn;
  private long expCmdSn;

  /** Each login PDU restates where the initiator's numbering stands. */
  void restart(long cmdSn, long expStatSn) {
    this.expCmdSn = cmdSn;
    this.statSn = expStatSn;
  }

  /**
   * Whether to execute a request: immediate ones and those without a number always; numbered ones
   * only inside the window (outside it they are dropped silently, as the RFC asks). The one at
   * ExpCmdSN advances the window.
   */
  boolean accept(Pdu pdu) {
    Opcode opcode = pdu.opcode();
    // An unsolicited NOP-Out (the answer to a ping) carries no command number.
    boolean numbered = opcode.numbered() && !(opcode == Opcode.NOP_OUT && pdu.itt() == Pdu.NO_TAG);
    if (!numbered || pdu.immediate()) {
      return true;
    }
    long distance = (pdu.cmdSn() - expCmdSn) & 0xffffffffL;
    if (distance >= SIZE) {
      return false;
    }
    if (distance == 0) {
      expCmdSn = (expCmdSn + 1) & 0xffffffffL;
    }
    return true;
  }

  /** Sets the three numbers on a response; StatSN advances when the response carries a status. */
  ResponseHeader stamp(ResponseHeader header, boolean carriesStatus) {
    long sn = statSn;
    if (carriesStatus) {
      statSn = (statSn + 1) & 0xffffffffL;
    }
    return header.sequence(sn, expCmdSn, (expCmdSn + SIZE - 1) & 0xffffffffL);
  }
}
