#!/bin/sh
# A recording stand-in for iscsiadm: appends its argument vector (unit-separator separated) to
# record.log beside it, and exits with the code in exit-<step> (e.g. exit-login) if that file
# exists, printing "iscsiadm: <said-<step>>" first when that file exists too. "-o new" makes the
# node record under nodes/ beside it, laid out as open-iscsi lays it out (idbm.c).
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
if [ "$step" = new ] && [ ! -f "$here/exit-new" ]; then
  iqn=""; portal=""; previous=""
  for a in "$@"; do
    [ "$previous" = "-T" ] && iqn="$a"
    [ "$previous" = "-p" ] && portal="$a"
    previous="$a"
  done
  # Without a portal group tag, open-iscsi writes the flat layout: nodes/<iqn>/<address>,<port>.
  mkdir -p "$here/nodes/$iqn"
  printf 'node.name = %s\nnode.tpgt = -1\nnode.session.auth.password = \n' "$iqn" \
    > "$here/nodes/$iqn/${portal%:*},${portal##*:}"
fi
[ -f "$here/said-$step" ] && echo "iscsiadm: $(cat "$here/said-$step")" >&2
[ -f "$here/exit-$step" ] && exit "$(cat "$here/exit-$step")"
exit 0
