#!/usr/bin/env python3
"""A drive seen by libiscsi, the initiator library of libiscsi-bin, with no kernel in between.

Every command's status, sense (key, ASC, ASCQ as libiscsi parses the fixed-format sense data) and
GET EVENT STATUS NOTIFICATION reply is compared byte for byte with what MMC-6 and SPC-4 require of a
removable CD/DVD unit, while discs' API changes the disc. libiscsi is called through ctypes: the
offsets into struct scsi_task are those of libiscsi 1.19 on x86-64 (offsetof, checked with its
headers), and the first CHECK CONDITION below is a known one, so a layout that moved shows at once.

Settings from the environment: API, TOKEN, DRIVE (its id), PORTAL, IQN, INITIATOR, CHAP_USER,
CHAP_SECRET, DISC_A, DISC_B (image ids), FILE_A, FILE_B (their bytes on disk).
Prints "RAW-CHECK <name> ok|FAILED <detail>" for each check, and "RAW-END" at the end.
"""
import ctypes
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

GOOD, CHECK_CONDITION = 0x00, 0x02
READ, NONE = 1, 0
TASK_STATUS, TASK_KEY, TASK_ASCQ, TASK_DATA_SIZE, TASK_DATA = 0, 52, 56, 64, 72

lib = ctypes.CDLL("libiscsi.so.7")
lib.iscsi_create_context.restype = ctypes.c_void_p
lib.iscsi_create_context.argtypes = [ctypes.c_char_p]
for name in ("iscsi_set_targetname",):
    getattr(lib, name).argtypes = [ctypes.c_void_p, ctypes.c_char_p]
lib.iscsi_set_session_type.argtypes = [ctypes.c_void_p, ctypes.c_int]
lib.iscsi_set_header_digest.argtypes = [ctypes.c_void_p, ctypes.c_int]
lib.iscsi_set_initiator_username_pwd.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
lib.iscsi_full_connect_sync.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
lib.iscsi_get_error.restype = ctypes.c_char_p
lib.iscsi_get_error.argtypes = [ctypes.c_void_p]
lib.scsi_create_task.restype = ctypes.c_void_p
lib.scsi_create_task.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
lib.iscsi_scsi_command_sync.restype = ctypes.c_void_p
lib.iscsi_scsi_command_sync.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p]
lib.scsi_free_scsi_task.argtypes = [ctypes.c_void_p]
lib.iscsi_logout_sync.argtypes = [ctypes.c_void_p]
lib.iscsi_destroy_context.argtypes = [ctypes.c_void_p]

env = os.environ
failures = 0


def check(name, ok, detail=""):
    global failures
    if ok:
        print(f"RAW-CHECK {name} ok", flush=True)
    else:
        failures += 1
        print(f"RAW-CHECK {name} FAILED {detail}", flush=True)


class Outcome:
    def __init__(self, status, key, asc, ascq, data):
        self.status, self.key, self.asc, self.ascq, self.data = status, key, asc, ascq, data

    def sense(self):
        return (self.key, self.asc, self.ascq) if self.status == CHECK_CONDITION else None

    def __repr__(self):
        return f"status={self.status:#x} sense={self.sense()} data={self.data.hex()}"


class Session:
    def __init__(self):
        self.ctx = lib.iscsi_create_context(env["INITIATOR"].encode())
        lib.iscsi_set_targetname(self.ctx, env["IQN"].encode())
        lib.iscsi_set_session_type(self.ctx, 2)  # ISCSI_SESSION_NORMAL
        lib.iscsi_set_header_digest(self.ctx, 0)  # ISCSI_HEADER_DIGEST_NONE
        lib.iscsi_set_initiator_username_pwd(
            self.ctx, env["CHAP_USER"].encode(), env["CHAP_SECRET"].encode())
        if lib.iscsi_full_connect_sync(self.ctx, env["PORTAL"].encode(), 0) != 0:
            raise SystemExit("login failed: " + lib.iscsi_get_error(self.ctx).decode())

    def run(self, cdb, length=0):
        cdb = bytes(cdb)
        task = lib.scsi_create_task(len(cdb), cdb, READ if length else NONE, length)
        done = lib.iscsi_scsi_command_sync(self.ctx, 0, task, None)
        if not done:
            raise SystemExit("command failed: " + lib.iscsi_get_error(self.ctx).decode())
        status = ctypes.c_int.from_address(task + TASK_STATUS).value
        key = ctypes.c_int.from_address(task + TASK_KEY).value
        ascq = ctypes.c_int.from_address(task + TASK_ASCQ).value
        size = ctypes.c_int.from_address(task + TASK_DATA_SIZE).value
        pointer = ctypes.c_void_p.from_address(task + TASK_DATA).value
        data = ctypes.string_at(pointer, size) if pointer and size > 0 else b""
        lib.scsi_free_scsi_task(task)
        return Outcome(status, key, ascq >> 8, ascq & 0xff, data)

    def close(self):
        lib.iscsi_logout_sync(self.ctx)
        lib.iscsi_destroy_context(self.ctx)


def api(method, path, body=None):
    request = urllib.request.Request(
        env["API"] + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + env["TOKEN"], "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"{}")


TUR = [0x00, 0, 0, 0, 0, 0]
GESN_MEDIA = [0x4A, 0x01, 0, 0, 0x10, 0, 0, 0, 8, 0]  # polled, media class, 8 bytes
GESN_ASYNC = [0x4A, 0x00, 0, 0, 0x10, 0, 0, 0, 8, 0]  # asynchronous: not supported
PREVENT = [0x1E, 0, 0, 0, 1, 0]
ALLOW = [0x1E, 0, 0, 0, 0, 0]
EJECT = [0x1B, 0, 0, 0, 0x02, 0]  # START STOP UNIT: LoEj, Start=0
READ_CAPACITY = [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]
UA_NO_MEDIUM, UA_CHANGED = (6, 0x3A, 0x00), (6, 0x28, 0x00)
NOT_READY_NO_MEDIUM, REMOVAL_PREVENTED = (2, 0x3A, 0x00), (5, 0x53, 0x02)


def gesn(event, status):
    """The 8 bytes MMC-6 6.8 gives for the media class: header, then the event descriptor."""
    return bytes([0x00, 0x06, 0x04, 0x10, event, status, 0x00, 0x00])


def read_block(session, lba):
    cdb = [0x28, 0, (lba >> 24) & 0xFF, (lba >> 16) & 0xFF, (lba >> 8) & 0xFF, lba & 0xFF, 0, 0, 1, 0]
    return session.run(cdb, 2048)


def block(path, lba):
    with open(path, "rb") as disc:
        disc.seek(lba * 2048)
        return disc.read(2048)


def last_lba(path):
    return os.path.getsize(path) // 2048 - 1


def main():
    drive = "/api/v1/drives/" + env["DRIVE"]
    s = Session()

    bad = s.run(GESN_ASYNC, 8)
    check("gesn-async-refused-05-24-00", bad.sense() == (5, 0x24, 0x00), repr(bad))
    first = s.run(TUR)
    check("ready-with-disc-a", first.status == GOOD, repr(first))
    event = s.run(GESN_MEDIA, 8)
    check("gesn-new-media-once", event.data == gesn(0x02, 0x02), repr(event))
    event = s.run(GESN_MEDIA, 8)
    check("gesn-then-no-change", event.data == gesn(0x00, 0x02), repr(event))
    capacity = s.run(READ_CAPACITY, 8)
    check("capacity-of-a",
          capacity.data == last_lba(env["FILE_A"]).to_bytes(4, "big") + (2048).to_bytes(4, "big"),
          repr(capacity))
    check("reads-a", read_block(s, 16).data == block(env["FILE_A"], 16))

    status, _ = api("POST", drive + "/insert", {"imageId": env["DISC_B"]})
    check("api-insert-b", status == 200, str(status))
    seen = [s.run(TUR).sense() for _ in range(3)]
    check("attentions-removed-then-changed-then-ready",
          seen == [UA_NO_MEDIUM, UA_CHANGED, None], str(seen))
    events = [s.run(GESN_MEDIA, 8).data for _ in range(3)]
    check("gesn-removal-then-new-media-then-none",
          events == [gesn(0x03, 0x02), gesn(0x02, 0x02), gesn(0x00, 0x02)],
          str([e.hex() for e in events]))
    capacity = s.run(READ_CAPACITY, 8)
    check("capacity-of-b", capacity.data[:4] == last_lba(env["FILE_B"]).to_bytes(4, "big"),
          repr(capacity))
    check("reads-b", read_block(s, 20).data == block(env["FILE_B"], 20))

    # Locked in, an eject asked of discs asks the initiator (EjectRequest); letting go ejects.
    check("prevent", s.run(PREVENT).status == GOOD)
    answer = {}
    asking = threading.Thread(
        target=lambda: answer.update(zip(("status", "body"), api("POST", drive + "/eject", {}))))
    asking.start()
    requested = None
    for _ in range(100):
        requested = s.run(GESN_MEDIA, 8)
        if requested.data[4] == 0x01:
            break
        time.sleep(0.05)
    check("gesn-eject-request", requested.data == gesn(0x01, 0x02), repr(requested))
    check("allow", s.run(ALLOW).status == GOOD)
    ejected = s.run(EJECT)
    check("start-stop-unit-ejects", ejected.status == GOOD, repr(ejected))
    asking.join(30)
    check("api-eject-answered-by-the-initiator",
          answer.get("status") == 200 and answer["body"].get("imageId") is None, str(answer))
    seen = [s.run(TUR).sense() for _ in range(2)]
    check("attention-then-not-ready-no-medium", seen == [UA_NO_MEDIUM, NOT_READY_NO_MEDIUM],
          str(seen))
    event = s.run(GESN_MEDIA, 8)
    check("gesn-removal-tray-open", event.data == gesn(0x03, 0x01), repr(event))
    empty_read = read_block(s, 0)
    check("read-without-disc-02-3a-00", empty_read.sense() == NOT_READY_NO_MEDIUM, repr(empty_read))
    status, body = api("GET", drive)
    check("api-shows-empty", status == 200 and body.get("inserted") is False, str(body))

    # Locked in and not letting go: refused, then taken by force.
    api("POST", drive + "/insert", {"imageId": env["DISC_A"]})
    [s.run(TUR) for _ in range(2)]
    check("prevent-again", s.run(PREVENT).status == GOOD)
    refused = s.run(EJECT)
    check("start-stop-unit-refused-05-53-02", refused.sense() == REMOVAL_PREVENTED, repr(refused))
    status, body = api("POST", drive + "/eject", {})
    check("api-eject-refused-409", status == 409 and "locked" in body.get("detail", ""), str(body))
    check("still-reads-a", read_block(s, 16).data == block(env["FILE_A"], 16))
    status, body = api("POST", drive + "/eject", {"force": True})
    check("api-forced-eject", status == 200 and body.get("imageId") is None, str(body))
    seen = [s.run(TUR).sense() for _ in range(2)]
    check("forced-attention-then-not-ready", seen == [UA_NO_MEDIUM, NOT_READY_NO_MEDIUM], str(seen))

    s.close()
    print("RAW-END", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
