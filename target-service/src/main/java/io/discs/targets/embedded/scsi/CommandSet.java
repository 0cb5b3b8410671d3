package io.discs.targets.embedded.scsi;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table a logical unit answers from, as tgt's device templates and LIO's parsers are: each
 * operation code it knows mapped to its handler. A code it does not know is INVALID COMMAND
 * OPERATION CODE; a service action it does not know, under a code it does, is INVALID FIELD IN CDB.
 * REPORT SUPPORTED OPERATION CODES is answered from this same table, so what the unit says it
 * supports is what it answers.
 */
final class CommandSet {
  private final Map<ScsiOpcode, CommandHandler> handlers;
  private final Map<Integer, Map<Integer, CommandHandler>> byCode = new HashMap<>();

  private CommandSet(Map<ScsiOpcode, CommandHandler> handlers) {
    this.handlers = handlers;
    handlers.forEach(
        (opcode, handler) ->
            byCode
                .computeIfAbsent(opcode.code(), code -> new HashMap<>())
                .put(opcode.serviceAction(), handler));
  }

  static Builder builder() {
    return new Builder();
  }

  ScsiResult execute(byte[] cdb) {
    Map<Integer, CommandHandler> actions = byCode.get(cdb[0] & 0xff);
    if (actions == null) {
      return new ScsiResult.CheckCondition(Sense.INVALID_OPCODE);
    }
    CommandHandler plain = actions.get(ScsiOpcode.NO_SERVICE_ACTION);
    if (plain != null) {
      return plain.execute(cdb);
    }
    CommandHandler action = actions.get(cdb[1] & 0x1f);
    return action == null ? Cdb.invalidField() : action.execute(cdb);
  }

  /** In the order of the enum: by code, then service action. */
  List<ScsiOpcode> supported() {
    return List.copyOf(handlers.keySet());
  }

  static final class Builder {
    private final Map<ScsiOpcode, CommandHandler> handlers = new EnumMap<>(ScsiOpcode.class);

    Builder add(ScsiOpcode opcode, CommandHandler handler) {
      if (handlers.putIfAbsent(opcode, handler) != null) {
        throw new IllegalStateException(opcode + " is in the table twice");
      }
      return this;
    }

    Builder addAll(List<ScsiOpcode> opcodes, CommandHandler handler) {
      opcodes.forEach(opcode -> add(opcode, handler));
      return this;
    }

    /** The table, with REPORT SUPPORTED OPERATION CODES answering from it. */
    CommandSet build() {
      Set<ScsiOpcode> listed = EnumSet.copyOf(handlers.keySet());
      listed.add(ScsiOpcode.REPORT_SUPPORTED_OPERATION_CODES);
      SupportedCommands report = new SupportedCommands(List.copyOf(listed));
      Map<ScsiOpcode, CommandHandler> table = new EnumMap<>(handlers);
      table.put(ScsiOpcode.REPORT_SUPPORTED_OPERATION_CODES, report::report);
      return new CommandSet(table);
    }
  }
}
