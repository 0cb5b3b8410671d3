package io.discs.targets.embedded.scsi;

import java.util.SortedMap;

/**
 * What the primary commands (INQUIRY, MODE SENSE) say differently for a disk and a disc: the
 * peripheral type, the product, the command set's version descriptor, the vital product data pages
 * and mode pages of that command set, and the block descriptor (disks only).
 *
 * @param vpdPages beyond the ones every unit has (0x00, 0x80, 0x83), by page code
 * @param modePages beyond the control page every unit has, by page code
 * @param blockDescriptor for MODE SENSE, empty where the command set has none
 */
record UnitProfile(
    int peripheralType,
    boolean removable,
    String product,
    int commandSetVersion,
    SortedMap<Integer, byte[]> vpdPages,
    SortedMap<Integer, byte[]> modePages,
    byte[] blockDescriptor) {}
