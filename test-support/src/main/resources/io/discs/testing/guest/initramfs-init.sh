#!/bin/busybox sh
# The test guest's initramfs: load what reaching the root image needs, mount it, hand over.
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
for m in $(/bin/busybox cat /modules/order); do
  /bin/busybox insmod "/modules/$m" || echo "discs-initramfs: insmod $m failed"
done
for i in $(/bin/busybox seq 50); do
  [ -b /dev/vda ] && break
  /bin/busybox sleep 0.1
done
if ! /bin/busybox mount -t ext4 /dev/vda /newroot; then
  echo "discs-initramfs: cannot mount the root image"
  echo o > /proc/sysrq-trigger
fi
/bin/busybox umount /proc /sys
/bin/busybox mount --move /dev /newroot/dev
exec /bin/busybox switch_root /newroot /sbin/discs-guest-init
