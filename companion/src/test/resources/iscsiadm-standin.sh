#!/bin/sh
# A recording stand-in for iscsiadm: appends its argument vector (unit-separator separated) to
# record.log beside it, and exits with the code in exit-<step> (e.g. exit-login) if that file
# exists, printing "iscsiadm: <said-<step>>" first when that file exists too.
here=$(dirname "$0")
sep=$(printf '\037')
line=""
for a in "$@"; do line="$line$a$sep"; done
printf '%s\n' "$line" >> "$here/record.log"
step=other
case "$line" in
  *"--login"*) step=login ;;
  *"--logout"*) step=logout ;;
  *"${sep}new${sep}"*) step=new ;;
esac
[ -f "$here/said-$step" ] && echo "iscsiadm: $(cat "$here/said-$step")" >&2
[ -f "$here/exit-$step" ] && exit "$(cat "$here/exit-$step")"
exit 0
