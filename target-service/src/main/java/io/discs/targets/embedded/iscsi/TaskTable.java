package io.discs.targets.embedded.iscsi;

import io.discs.targets.embedded.backing.BlockSource;
import io.discs.targets.embedded.scsi.ScsiResult;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The session's tasks still owed an answer: reads of the medium, waiting for room or in progress
 * (every other command is answered as it arrives). Bounded twice: at most as many tasks as the
 * command window advertises, immediate commands included (beyond that, TASK SET FULL), and at most
 * {@code maxQueuedBytes} read but not yet taken by the socket (one read may always start). Task
 * management aborts through it: an aborted task never answers.
 */
final class TaskTable {
  /** A read owed to the initiator, under its Initiator Task Tag. */
  /**
   * @param source what the read is made from: the disc the command was answered against (a drive's
   *     may have changed since)
   */
  record Task(Pdu pdu, ScsiResult.MediumRead read, int expected, BlockSource source) {
    int itt() {
      return pdu.itt();
    }

    int length() {
      return read.length();
    }
  }

  private final int capacity;
  private final long maxQueuedBytes;
  private final Map<Integer, Task> active = new LinkedHashMap<>();
  private final ArrayDeque<Task> waiting = new ArrayDeque<>();
  private long queuedBytes;

  TaskTable(int capacity, long maxQueuedBytes) {
    this.capacity = capacity;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /** False when the table is full: the command is answered TASK SET FULL instead. */
  boolean add(Task task) {
    if (active.size() >= capacity) {
      return false;
    }
    active.put(task.itt(), task);
    waiting.add(task);
    return true;
  }

  /** The next waiting read, if the bytes queued towards the initiator leave room for it. */
  Optional<Task> nextToStart() {
    return nextToStart(task -> true);
  }

  /**
   * The next waiting read, if the bytes queued towards the initiator leave room for it and {@code
   * room} (the target's budget, which takes the bytes when it says yes) agrees.
   */
  Optional<Task> nextToStart(Predicate<Task> room) {
    Task next = waiting.peek();
    if (next == null
        || (queuedBytes > 0 && queuedBytes + next.length() > maxQueuedBytes)
        || !room.test(next)) {
      return Optional.empty();
    }
    waiting.poll();
    queuedBytes += next.length();
    return Optional.of(next);
  }

  /** A started read's bytes have left (or failed); its room is free again. */
  void finished(Task task) {
    queuedBytes -= task.length();
    active.remove(task.itt(), task);
  }

  /** Whether the task still expects its answer (not aborted, not cleared). */
  boolean owesAnswer(Task task) {
    return active.get(task.itt()) == task;
  }

  /** ABORT TASK: whether the tag named a task that had not answered yet. */
  boolean abort(int itt) {
    Task task = active.remove(itt);
    if (task == null) {
      return false;
    }
    waiting.remove(task);
    return true;
  }

  /** ABORT TASK SET, LUN RESET, the end of the connection: nothing more answers. */
  void abortAll() {
    active.clear();
    waiting.clear();
  }

  int waitingCount() {
    return waiting.size();
  }

  int size() {
    return active.size();
  }
}
