package io.discs.targets.embedded.scsi;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * REPORT SUPPORTED OPERATION CODES (SPC-4 6.35) over a logical unit's command table: all commands
 * (option 0) or one, by code (option 1) or by code and service action (option 2), each with its CDB
 * usage bitmap. Commands refused as write-protected are listed: the unit does answer them, after
 * checking their fields, with DATA PROTECT.
 */
final class SupportedCommands {
  private final List<ScsiOpcode> commands;

  SupportedCommands(List<ScsiOpcode> commands) {
    this.commands = commands;
  }

  ScsiResult report(byte[] cdb) {
    boolean timeouts = (cdb[2] & 0x80) != 0;
    int options = cdb[2] & 0x07;
    int code = cdb[3] & 0xff;
    int serviceAction = Cdb.u16(cdb, 4);
    long allocation = Cdb.u32(cdb, 6);
    return switch (options) {
      case 0 -> all(timeouts, allocation);
      case 1 -> one(code, ScsiOpcode.NO_SERVICE_ACTION, timeouts, allocation);
      case 2 -> one(code, serviceAction, timeouts, allocation);
      default -> Cdb.invalidField();
    };
  }

  private ScsiResult all(boolean timeouts, long allocation) {
    int each = timeouts ? 20 : 8;
    ByteBuffer b = ByteBuffer.allocate(4 + each * commands.size());
    b.putInt(each * commands.size());
    for (ScsiOpcode c : commands) {
      b.put((byte) c.code()).put((byte) 0).putShort((short) Math.max(c.serviceAction(), 0));
      b.put((byte) 0).put((byte) ((timeouts ? 0x02 : 0) | (c.hasServiceAction() ? 0x01 : 0)));
      b.putShort((short) c.cdbLength());
      if (timeouts) {
        b.putShort((short) 10).put(new byte[10]); // timeouts descriptor: none recommended
      }
    }
    return Cdb.data(b.array(), allocation);
  }

  /** One command: supported (with its CDB usage bitmap) or not, as options 1 and 2 ask. */
  private ScsiResult one(int code, int serviceAction, boolean timeouts, long allocation) {
    boolean hasServiceActions =
        commands.stream().anyMatch(c -> c.code() == code && c.hasServiceAction());
    if ((serviceAction == ScsiOpcode.NO_SERVICE_ACTION) == hasServiceActions) {
      // Option 1 for a command with service actions, or 2 for one without: the CDB is wrong.
      return Cdb.invalidField();
    }
    ScsiOpcode found =
        commands.stream()
            .filter(c -> c.code() == code && c.serviceAction() == serviceAction)
            .findFirst()
            .orElse(null);
    if (found == null) {
      return Cdb.data(new byte[] {0, 0x01, 0, 0}, allocation); // not supported
    }
    int length = found.cdbLength();
    ByteBuffer b = ByteBuffer.allocate(4 + length + (timeouts ? 12 : 0));
    b.put((byte) 0).put((byte) ((timeouts ? 0x80 : 0) | 0x03)).putShort((short) length);
    b.put(usage(found));
    if (timeouts) {
      b.putShort((short) 10).put(new byte[10]);
    }
    return Cdb.data(b.array(), allocation);
  }

  /** Every bit may be used, but for a service action's fixed bits and DPO and FUA (not offered). */
  private static byte[] usage(ScsiOpcode command) {
    byte[] usage = new byte[command.cdbLength()];
    Arrays.fill(usage, (byte) 0xff);
    usage[0] = (byte) command.code();
    if (command.hasServiceAction()) {
      usage[1] = (byte) (0xe0 | command.serviceAction());
    } else if (command.hasCachingBits()) {
      usage[1] = (byte) (0xff & ~ScsiOpcode.DPO_FUA);
    }
    return usage;
  }
}
