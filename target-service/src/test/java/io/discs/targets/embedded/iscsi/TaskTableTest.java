package io.discs.targets.embedded.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.targets.embedded.scsi.ScsiResult;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class TaskTableTest {

  @Test
  void holdsNoMoreTasksThanTheWindowImmediateOnesIncluded() {
    TaskTable table = new TaskTable(2, 1 << 20);
    assertThat(table.add(read(1, 512))).isTrue();
    assertThat(table.add(read(2, 512))).isTrue();
    assertThat(table.add(read(3, 512))).as("a third task in a window of two").isFalse();
  }

  @Test
  void startsReadsOnlyWhileTheirBytesFitButAlwaysOne() {
    TaskTable table = new TaskTable(8, 1000);
    TaskTable.Task big = read(1, 4000);
    TaskTable.Task small = read(2, 600);
    TaskTable.Task other = read(3, 600);
    table.add(big);
    table.add(small);
    table.add(other);

    assertThat(table.nextToStart()).as("one read may always start").containsSame(big);
    assertThat(table.nextToStart()).isEmpty();
    table.finished(big);
    assertThat(table.nextToStart()).containsSame(small);
    assertThat(table.nextToStart()).as("600 + 600 > 1000").isEmpty();
    table.finished(small);
    assertThat(table.nextToStart()).containsSame(other);
    table.finished(other);
    assertThat(table.size()).isZero();
  }

  @Test
  void anAbortedTaskNeverAnswersWhetherItWaitedOrWasReading() {
    TaskTable table = new TaskTable(8, 1 << 20);
    TaskTable.Task reading = read(1, 512);
    TaskTable.Task waiting = read(2, 512);
    table.add(reading);
    assertThat(table.nextToStart()).containsSame(reading);
    table.add(waiting);

    assertThat(table.abort(2)).isTrue();
    assertThat(table.waitingCount()).isZero();
    assertThat(table.abort(1)).isTrue();
    assertThat(table.owesAnswer(reading)).isFalse();
    assertThat(table.abort(7)).as("no such task").isFalse();

    table.finished(reading); // its read comes back later: the room it held is free again
    TaskTable.Task next = read(3, 1 << 20);
    table.add(next);
    assertThat(table.nextToStart()).containsSame(next);
  }

  @Test
  void abortingAllEmptiesTheTable() {
    TaskTable table = new TaskTable(8, 1 << 20);
    TaskTable.Task first = read(1, 512);
    table.add(first);
    table.add(read(2, 512));
    table.nextToStart();

    table.abortAll();

    assertThat(table.size()).isZero();
    assertThat(table.nextToStart()).isEmpty();
    assertThat(table.owesAnswer(first)).isFalse();
  }

  private static TaskTable.Task read(int itt, int length) {
    Buffer bhs = Buffer.buffer(new byte[Pdu.BHS]);
    bhs.setInt(16, itt);
    return new TaskTable.Task(
        new Pdu(bhs, Buffer.buffer()), new ScsiResult.MediumRead(0, length), length, null);
  }
}
