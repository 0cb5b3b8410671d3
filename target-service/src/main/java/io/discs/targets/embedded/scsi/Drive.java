package io.discs.targets.embedded.scsi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A removable CD/DVD unit whose disc changes while its initiators stay logged in, as a real drive's
 * does and QEMU's {@code scsi-cd} does. Empty, it answers NOT READY, MEDIUM NOT PRESENT to whatever
 * needs a disc. After a change, every nexus (an initiator's session) is told once by a UNIT
 * ATTENTION: MEDIUM NOT PRESENT first and, when a disc came, NOT READY TO READY CHANGE after it
 * (QEMU's order, which guests that never ask GET EVENT STATUS NOTIFICATION rely on to see the tray
 * open and close). GET EVENT STATUS NOTIFICATION reports each media event once: NewMedia,
 * MediaRemoval, EjectRequest. PREVENT ALLOW MEDIUM REMOVAL locks the disc in for as long as one
 * nexus holds it: START STOP UNIT's eject is then refused, and the control plane's eject asks
 * (EjectRequest) unless it forces.
 *
 * <p>An initiator's eject opens the tray: the disc leaves the drive but stays in the tray, and a
 * load (START STOP UNIT with LoEj and Start, what Linux sends when something opens a drive whose
 * tray is open) closes it with the disc back in, as a real drive does. A change made by the control
 * plane takes the disc out of the tray for good.
 *
 * <p>One drive is shared by the connections of its target, on several event loops: every method
 * holds the drive's lock, and a command is answered against the disc in it at that moment ({@link
 * Executed#disc}), so a read is made from the disc it was decided on even if the disc changes right
 * after.
 *
 * @param <D> what the caller reads a disc's bytes with
 */
public final class Drive<D> {
  /** A disc: its size, and what its bytes are read with. */
  public record Disc<D>(long sizeBytes, D bytes) {}

  /** A command's answer, and the disc it was answered against (null when the drive was empty). */
  public record Executed<D>(ScsiResult result, D disc) {}

  /** What the control plane's eject did. */
  public enum Ejection {
    EJECTED,
    ALREADY_EMPTY,
    /** An initiator locks the disc in: it was asked to let go (EjectRequest), nothing changed. */
    REFUSED_LOCKED
  }

  /** Media event codes of GET EVENT STATUS NOTIFICATION's media class (MMC-6 table 131). */
  private static final int EJECT_REQUEST = 1;

  private static final int NEW_MEDIA = 2;
  private static final int MEDIA_REMOVAL = 3;

  private static final int MEDIA_CLASS = 0x04;
  private static final int MEDIA_CLASS_BIT = 1 << MEDIA_CLASS;
  private static final int STATUS_TRAY_OPEN = 0x01;
  private static final int STATUS_MEDIA_PRESENT = 0x02;

  /** Answered however the drive stands: they are how an initiator finds out how it stands. */
  private static final Set<Integer> BEFORE_ATTENTION =
      Set.of(
          ScsiOpcode.INQUIRY.code(),
          ScsiOpcode.REPORT_LUNS.code(),
          ScsiOpcode.GET_CONFIGURATION.code(),
          ScsiOpcode.GET_EVENT_STATUS_NOTIFICATION.code());

  /** Answered without a disc (the rest are NOT READY, MEDIUM NOT PRESENT while empty). */
  private static final Set<Integer> WITHOUT_DISC =
      Set.of(
          ScsiOpcode.INQUIRY.code(),
          ScsiOpcode.REPORT_LUNS.code(),
          ScsiOpcode.MODE_SENSE_6.code(),
          ScsiOpcode.MODE_SENSE_10.code(),
          ScsiOpcode.GET_CONFIGURATION.code(),
          ScsiOpcode.MECHANISM_STATUS.code(),
          ScsiOpcode.REPORT_SUPPORTED_OPERATION_CODES.code());

  private final String serial;
  private final long naa;
  private final ScsiDevice empty;
  private final Consumer<D> released;
  private final InitiatorChanges initiator;

  private Disc<D> disc;
  private ScsiDevice loaded;

  /** The disc an initiator ejected, in the open tray until a load or a change of the control's. */
  private Disc<D> tray;

  private final Map<String, Deque<Sense>> attentions = new HashMap<>();
  private final Set<String> preventing = new HashSet<>();
  private final Deque<Integer> mediaEvents = new ArrayDeque<>();

  /** What an initiator did to the disc on its own (told while the drive's lock is held). */
  public interface InitiatorChanges {
    /** It ejected the disc: the tray is open with the disc in it. */
    void ejected();

    /** It closed the tray with the disc it had ejected back in. */
    void reloaded();
  }

  /**
   * @param naa a 60-bit identifier unique to this logical unit, the same whatever disc is in
   * @param released told of every disc the drive no longer holds (replaced, taken out by the
   *     control plane, out of the tray for good), while the drive's lock is held: it must not block
   * @param initiator told of an initiator's eject and reload
   */
  public Drive(String serial, long naa, Consumer<D> released, InitiatorChanges initiator) {
    this.serial = serial;
    this.naa = naa;
    this.empty = ScsiDevice.emptyDrive(serial, naa);
    this.released = released;
    this.initiator = initiator;
  }

  /** A nexus logged in: from now on it is told of changes. */
  public synchronized void attach(String nexus) {
    attentions.putIfAbsent(nexus, new ArrayDeque<>());
  }

  /** A nexus is gone: its attentions go, and so does its lock on the disc. */
  public synchronized void detach(String nexus) {
    attentions.remove(nexus);
    preventing.remove(nexus);
  }

  /** Puts {@code next} in, in place of any disc there. */
  public synchronized void insert(Disc<D> next) {
    emptyTray();
    if (disc != null) {
      mediaEvents.add(MEDIA_REMOVAL);
      released.accept(disc.bytes());
    }
    disc = next;
    loaded = new ScsiDevice(ScsiDevice.Kind.CDROM, next.sizeBytes(), serial, naa);
    mediaEvents.add(NEW_MEDIA);
    tellEveryNexus(List.of(Sense.ATTENTION_MEDIUM_REMOVED, Sense.ATTENTION_MEDIUM_CHANGED));
  }

  /**
   * Takes the disc out, unless an initiator locks it in and {@code force} is false: then it is only
   * asked to let go.
   */
  public synchronized Ejection eject(boolean force) {
    if (disc == null) {
      emptyTray();
      return Ejection.ALREADY_EMPTY;
    }
    if (!preventing.isEmpty() && !force) {
      mediaEvents.add(EJECT_REQUEST);
      return Ejection.REFUSED_LOCKED;
    }
    preventing.clear();
    Disc<D> out = disc;
    takeOut();
    released.accept(out.bytes());
    return Ejection.EJECTED;
  }

  /**
   * Everything the drive holds (the disc in it, the one in its tray), which it lets go of: for a
   * drive being removed.
   */
  public synchronized List<D> releaseAll() {
    List<D> held = new java.util.ArrayList<>();
    if (disc != null) {
      held.add(disc.bytes());
    }
    if (tray != null) {
      held.add(tray.bytes());
    }
    disc = null;
    loaded = null;
    tray = null;
    return held;
  }

  /** The disc in the drive, or null. */
  public synchronized D disc() {
    return disc == null ? null : disc.bytes();
  }

  public synchronized boolean locked() {
    return !preventing.isEmpty();
  }

  /** Answers one command from {@code nexus}. */
  public synchronized Executed<D> execute(String nexus, byte[] cdb) {
    int code = cdb[0] & 0xff;
    Deque<Sense> pending = attentions.computeIfAbsent(nexus, n -> new ArrayDeque<>());
    if (code == ScsiOpcode.REQUEST_SENSE.code()) {
      Sense sense =
          !pending.isEmpty()
              ? pending.poll()
              : disc == null ? Sense.MEDIUM_NOT_PRESENT : Sense.NO_SENSE;
      return answer(Cdb.data(sense.bytes(), Cdb.u8(cdb, 4)));
    }
    if (!pending.isEmpty() && !BEFORE_ATTENTION.contains(code)) {
      return answer(new ScsiResult.CheckCondition(pending.poll()));
    }
    if (code == ScsiOpcode.GET_EVENT_STATUS_NOTIFICATION.code()) {
      return answer(eventStatus(cdb));
    }
    if (code == ScsiOpcode.PREVENT_ALLOW_MEDIUM_REMOVAL.code()) {
      if ((cdb[4] & 0x01) != 0) {
        preventing.add(nexus);
      } else {
        preventing.remove(nexus);
      }
      return answer(Cdb.good());
    }
    if (code == ScsiOpcode.START_STOP_UNIT.code()) {
      return answer(startStop(nexus, cdb));
    }
    if (disc == null) {
      return answer(
          WITHOUT_DISC.contains(code)
              ? empty.execute(cdb)
              : new ScsiResult.CheckCondition(Sense.MEDIUM_NOT_PRESENT));
    }
    return answer(loaded.execute(cdb));
  }

  /**
   * START STOP UNIT: with LoEj, stop ejects (unless the disc is locked in) and start loads (a
   * virtual tray has nothing to load: it stays as it is). Power conditions change nothing.
   */
  private ScsiResult startStop(String nexus, byte[] cdb) {
    boolean start = (cdb[4] & 0x01) != 0;
    boolean loadOrEject = (cdb[4] & 0x02) != 0;
    if ((cdb[4] & 0xf0) != 0 || !loadOrEject) {
      return Cdb.good();
    }
    if (start) {
      if (disc == null && tray != null) {
        load(tray);
        tray = null;
        // Whoever closed the tray knows: a unit attention would fail its next read (Linux fails
        // a removable unit's I/O on one), and it is the very open that closed the tray.
        Deque<Sense> own = attentions.get(nexus);
        if (own != null) {
          own.clear();
        }
        initiator.reloaded();
      }
      return Cdb.good();
    }
    if (disc == null) {
      return Cdb.good();
    }
    if (!preventing.isEmpty()) {
      return new ScsiResult.CheckCondition(Sense.REMOVAL_PREVENTED);
    }
    tray = disc;
    takeOut();
    initiator.ejected();
    return Cdb.good();
  }

  private void load(Disc<D> next) {
    disc = next;
    loaded = new ScsiDevice(ScsiDevice.Kind.CDROM, next.sizeBytes(), serial, naa);
    mediaEvents.add(NEW_MEDIA);
    tellEveryNexus(List.of(Sense.ATTENTION_MEDIUM_CHANGED));
  }

  private void takeOut() {
    disc = null;
    loaded = null;
    mediaEvents.add(MEDIA_REMOVAL);
    tellEveryNexus(List.of(Sense.ATTENTION_MEDIUM_REMOVED));
  }

  private void emptyTray() {
    if (tray != null) {
      released.accept(tray.bytes());
      tray = null;
    }
  }

  /** Every nexus hears of the latest change only: what it had not heard yet is overtaken by it. */
  private void tellEveryNexus(List<Sense> senses) {
    for (Deque<Sense> pending : attentions.values()) {
      pending.clear();
      pending.addAll(senses);
    }
  }

  /**
   * GET EVENT STATUS NOTIFICATION, polled only: the media class, with the oldest event not yet
   * reported (each is reported once), and whether a disc is in; asked for no class this drive has,
   * the supported classes with No Event Available.
   */
  private ScsiResult eventStatus(byte[] cdb) {
    if ((cdb[1] & 0x01) == 0) {
      return Cdb.invalidField();
    }
    int allocation = Cdb.u16(cdb, 7);
    if ((cdb[4] & MEDIA_CLASS_BIT) == 0) {
      return Cdb.data(new byte[] {0, 2, (byte) 0x80, (byte) MEDIA_CLASS_BIT}, allocation);
    }
    Integer event = mediaEvents.poll();
    int status = disc != null ? STATUS_MEDIA_PRESENT : STATUS_TRAY_OPEN;
    return Cdb.data(
        new byte[] {
          0,
          6,
          MEDIA_CLASS,
          (byte) MEDIA_CLASS_BIT,
          (byte) (event == null ? 0 : event),
          (byte) status,
          0,
          0
        },
        allocation);
  }

  private Executed<D> answer(ScsiResult result) {
    return new Executed<>(result, disc == null ? null : disc.bytes());
  }
}
