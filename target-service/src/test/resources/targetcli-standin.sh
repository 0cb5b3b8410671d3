#!/bin/sh
# A recording stand-in for targetcli: appends its argument vector (fields separated by the unit
# separator), or the command it read on standard input, to record.log beside it, answers "ls" the way targetcli does for what was created,
# and fails any call containing the text in fail-on (if that file exists).
here=$(dirname "$0")
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
case "$1 $2" in
  "/iscsi create") echo "$3" >> "$here/targets" ;;
  "/iscsi delete") grep -vx "$3" "$here/targets" > "$here/targets.new" 2>/dev/null; mv "$here/targets.new" "$here/targets" ;;
  */acls\ create) echo "$3" >> "$here/acls" ;;
  */acls\ delete) grep -vx "$3" "$here/acls" > "$here/acls.new" 2>/dev/null; mv "$here/acls.new" "$here/acls" ;;
esac
if [ "$1" = "ls" ] && [ "$2" = "/iscsi" ]; then
  echo "o- iscsi .................................. [Targets: 1]"
  [ -f "$here/targets" ] && while read -r t; do echo "  o- $t ......... [TPGs: 1]"; done < "$here/targets"
elif [ "$1" = "ls" ] && [ "$(basename "$2")" = "acls" ]; then
  echo "o- acls ...... [ACLs: 1]"
  [ -f "$here/acls" ] && while read -r a; do echo "  o- $a ......... [Mapped LUNs: 1]"; done < "$here/acls"
elif [ "$1" = "ls" ]; then
  iqn=$(echo "$2" | cut -d/ -f3)
  bs="discs-$(echo "${iqn#*:}" | tr . -)"
  echo "o- $(basename "$2") ...... [Mapped LUNs: 1]"
  echo "  o- mapped_lun0 ...... [lun0 fileio/$bs (ro)]"
fi
exit 0
