#!/bin/sh
# A recording stand-in for targetcli: appends its argument vector (fields separated by the unit
# separator), or the command it read on standard input, to record.log beside it; keeps a small
# configfs tree (configfs/<target>/tpgt_1/acls/<initiator>/…) the way the kernel shows what
# targetcli made ("writable" beside it: LUNs mapped writable anyway); and fails any call containing the text in fail-on (if that file exists).
here=$(dirname "$0")
fs="$here/configfs"
sep=$(printf '\037')
line=""
if [ $# -eq 0 ]; then
  # Commands on standard input (as targetcli reads them when not on a terminal): recorded with
  # a "stdin:" field first.
  read -r command_line
  line="stdin:$sep"
  set -- $command_line
fi
for a in "$@"; do line="$line$a$sep"; done
printf '%s\n' "$line" >> "$here/record.log"
if [ -f "$here/fail-on" ]; then
  pattern=$(cat "$here/fail-on")
  case "$line" in *"$pattern"*) echo "Error: simulated failure" >&2; exit 1 ;; esac
fi
# As real targetcli does with a command read on standard input that fails: says so, answers 0.
if [ -f "$here/ignore-on" ]; then
  pattern=$(cat "$here/ignore-on")
  case "$line" in *"$pattern"*) echo "simulated failure, answered 0"; exit 0 ;; esac
fi
mkdir -p "$fs" "$here/backstores"
# The answers below for what is already there or already gone are real targetcli-fb 2.1.53's.
case "$1 $2" in
  "/backstores/fileio create")
    name=${3#name=}
    [ -d "$here/backstores/$name" ] && { echo "storage object for ${4#file_or_dev=} already exists: $name" >&2; exit 1; }
    mkdir "$here/backstores/$name" ;;
  "/backstores/fileio delete")
    [ -d "$here/backstores/$3" ] || { echo "No storage object named $3." >&2; exit 1; }
    rmdir "$here/backstores/$3"
    # As rtslib does: the LUNs of a deleted storage object go with it.
    for link in "$fs"/*/tpgt_1/lun/lun_0/link; do
      [ "$(basename "$(readlink "$link" 2>/dev/null)")" = "$3" ] && rm -rf "$(dirname "$link")"
    done ;;
  "/iscsi create")
    [ -d "$fs/$3" ] && { echo "This Target already exists in configFS" >&2; exit 1; }
    mkdir -p "$fs/$3/tpgt_1/acls" ;;
  "/iscsi delete")
    [ -d "$fs/$3" ] || { echo "No such Target in configfs: /sys/kernel/config/target/iscsi/$3" >&2; exit 1; }
    rm -rf "${fs:?}/$3" ;;
  */luns\ create)
    [ -d "$here/backstores/$(basename "$3")" ] || { echo "storage object or path not valid" >&2; exit 1; }
    lun="$fs/$(echo "$1" | cut -d/ -f3)/tpgt_1/lun/lun_0"
    mkdir -p "$lun" && ln -s "../../../../../backstores/$(basename "$3")" "$lun/link" ;;
  */acls\ create) mkdir -p "$fs/$(echo "$1" | cut -d/ -f3)/tpgt_1/acls/$3" ;;
  */acls\ delete) rm -rf "${fs:?}/$(echo "$1" | cut -d/ -f3)/tpgt_1/acls/$3" ;;
esac
acl="$fs/$(echo "$1" | cut -d/ -f3)/tpgt_1/acls/$(echo "$1" | cut -d/ -f6)"
case "$1 $2 $3" in
  /iscsi/*/acls/*\ create\ mapped_lun=0)
    mkdir -p "$acl/lun_0"
    case "$*" in *write_protect=1*) [ -f "$here/writable" ] && echo 0 || echo 1 ;; *) echo 0 ;; esac \
      > "$acl/lun_0/write_protect" ;;
  /iscsi/*/acls/*\ set\ auth)
    mkdir -p "$acl/auth"
    echo "$4" | sed 's/^userid=//' > "$acl/auth/userid" ;;
esac
exit 0
