package io.discs.targets.embedded.iscsi;

/** Task management functions and responses (RFC 7143 §11.5.1 and §11.6.1). */
final class TaskManagement {
  private TaskManagement() {}

  /** The Function field of a Task Management Function Request. */
  enum Function {
    ABORT_TASK(1),
    ABORT_TASK_SET(2),
    CLEAR_ACA(3),
    CLEAR_TASK_SET(4),
    LOGICAL_UNIT_RESET(5),
    TARGET_WARM_RESET(6),
    TARGET_COLD_RESET(7),
    TASK_REASSIGN(8),
    UNKNOWN(-1);

    final int code;

    Function(int code) {
      this.code = code;
    }

    static Function of(int code) {
      for (Function function : values()) {
        if (function.code == code) {
          return function;
        }
      }
      return UNKNOWN;
    }
  }

  /** The Response field of a Task Management Function Response. */
  enum Response {
    FUNCTION_COMPLETE(0),
    FUNCTION_NOT_SUPPORTED(5);

    final int code;

    Response(int code) {
      this.code = code;
    }
  }
}
