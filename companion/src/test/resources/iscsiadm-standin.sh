#!/bin/sh
# A recording stand-in for iscsiadm: appends its argument vector (unit-separator separated) to
# record.log beside it, and exits with the code in exit-<mode> (e.g. exit-login) if that file exists.
here=$(dirname "$0")
sep=$(printf '\037')
line=""
for a in "$@"; do line="$line$a$sep"; done
printf '%s\n' "$line" >> "$here/record.log"
case "$line" in
  *"--login"*) [ -f "$here/exit-login" ] && exit "$(cat "$here/exit-login")" ;;
  *"--logout"*) [ -f "$here/exit-logout" ] && exit "$(cat "$here/exit-logout")" ;;
esac
exit 0
