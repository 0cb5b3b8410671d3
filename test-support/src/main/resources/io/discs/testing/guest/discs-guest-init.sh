#!/bin/sh
# PID 1 of the discs test guest. It brings up what a Debian system has running (udev, iscsid,
# the network) with Debian's stock settings, runs the scenario from the second disk with its output
# on the serial console, and powers off. systemd would take minutes under TCG; these steps are
# what its units do.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs tmpfs /run && mkdir -p /run/lock
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/pts /dev/shm && mount -t devpts devpts /dev/pts && mount -t tmpfs tmpfs /dev/shm
mount -o remount,rw /
hostname discs-guest
ip link set lo up
modprobe virtio_net
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
/lib/systemd/systemd-udevd --daemon
udevadm trigger --action=add
udevadm settle --timeout=60
mkdir -p /discs && mount -o ro /dev/vdb /discs
echo "DISCS-GUEST up after $(cut -d' ' -f1 /proc/uptime) s"
sh /discs/scenario.sh 2>&1
echo "DISCS-GUEST done rc=$?"
sync
echo o > /proc/sysrq-trigger
sleep 30
