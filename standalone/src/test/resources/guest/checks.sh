#!/bin/sh
# Shared by the guest scenarios, sourced from /discs: checks printed on the serial console
# ("DISCS-CHECK <name> ok|FAILED <detail>") for the host test to read, and the companion run as a
# person runs it ($COMPANION_OPTS adds JVM options, such as a heap for a guest that runs more).
check() { # name, then a command that must succeed
  name=$1; shift
  if "$@" >/tmp/check.out 2>&1; then echo "DISCS-CHECK $name ok"
  else echo "DISCS-CHECK $name FAILED $(tr '\n' ' ' </tmp/check.out | cut -c1-300)"; fi
}
fails() { ! "$@"; }
contains() { grep -q -- "$2" "$1"; }
JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC $COMPANION_OPTS"
companion() { java $JAVA_OPTS -jar /discs/companion.jar "$@"; }
# In the background of a script SIGINT is ignored (POSIX, no job control), and the JVM keeps an
# ignored SIGINT ignored; perl puts back the default a terminal's Ctrl-C would meet.
companion_bg() { perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die "exec: $!"' java $JAVA_OPTS -jar /discs/companion.jar "$@" & }
