package dev.iommufx.plan;

/**
 * The shell functions the passthrough script and its revert script share: reading and writing sysfs attributes,
 * checking that a device is the one the plan was made for, and finding its driver. Every path starts at
 * {@code $SYSFS}, so that both scripts can run on a copy of sysfs.
 */
final class ScriptPrelude {
    private ScriptPrelude() {
    }

    static void append(StringBuilder sb) {
        sb.append("""
                # the devices moved so far, as QEMU options: the machine, not the plan, says which were bridges
                passed=
                say() { printf 'iommufx: %s\\n' "$1"; }
                die() { printf 'iommufx: error: %s\\n' "$1" >&2; exit 1; }

                # read_attr FILE: print the first line of a sysfs attribute
                read_attr() {
                    [ -r "$1" ] || return 1
                    _line=
                    IFS= read -r _line < "$1" || [ -n "$_line" ] || return 1
                    printf '%s' "$_line"
                }

                # write_attr FILE VALUE: one sysfs write
                write_attr() {
                    printf '%s' "$2" > "$1" || die "could not write $2 to $1"
                }

                # real_dir PATH: the directory with every symlink resolved
                real_dir() { (cd -P -- "$1" 2>/dev/null && pwd -P); }

                # check_ids ADDRESS VENDOR DEVICE: the device is there and is the one the plan was made for
                # (VENDOR and DEVICE empty: the plan's source did not give them; the group check stands for them)
                check_ids() {
                    _dev="$SYSFS/bus/pci/devices/$1"
                    [ -d "$_dev" ] || die "device $1 is not present ($_dev does not exist)"
                    [ -n "$2" ] || return 0
                    _vendor=$(read_attr "$_dev/vendor") || die "cannot read the vendor ID of device $1"
                    _device=$(read_attr "$_dev/device") || die "cannot read the device ID of device $1"
                    [ "$_vendor" = "$2" ] || die "device $1 has vendor ID $_vendor, the plan expects $2: it is not the device the plan was made for"
                    [ "$_device" = "$3" ] || die "device $1 has device ID $_device, the plan expects $3: it is not the device the plan was made for"
                }

                # check_group GROUP ADDRESS...: the IOMMU group holds exactly these devices
                check_group() {
                    _group=$1
                    shift
                    _dir="$SYSFS/kernel/iommu_groups/$_group/devices"
                    [ -d "$_dir" ] || die "IOMMU group $_group does not exist (is the IOMMU enabled?)"
                    for _addr in "$@"; do
                        [ -e "$_dir/$_addr" ] || [ -L "$_dir/$_addr" ] || die "device $_addr is not in IOMMU group $_group"
                    done
                    for _entry in "$_dir"/*; do
                        [ -e "$_entry" ] || [ -L "$_entry" ] || continue
                        _name=${_entry##*/}
                        _known=no
                        for _addr in "$@"; do
                            if [ "$_name" = "$_addr" ]; then _known=yes; fi
                        done
                        [ "$_known" = yes ] || die "IOMMU group $_group also holds $_name, which the plan does not know of"
                    done
                }

                # need_driver DRIVER: the driver is loaded
                need_driver() {
                    if [ ! -d "$SYSFS/bus/pci/drivers/$1" ] && [ "$SYSFS" = /sys ] && command -v modprobe >/dev/null 2>&1; then
                        say "loading $1"
                        modprobe -- "$1" || true
                    fi
                    [ -d "$SYSFS/bus/pci/drivers/$1" ] || die "the $1 driver is not loaded: load it with 'modprobe $1' and run this script again"
                }

                # driver_of ADDRESS: the name of the driver the device is bound to, or nothing
                driver_of() {
                    [ -e "$SYSFS/bus/pci/devices/$1/driver" ] || return 0
                    _now=$(real_dir "$SYSFS/bus/pci/devices/$1/driver") || return 0
                    printf '%s' "${_now##*/}"
                }

                # bound_to ADDRESS DRIVER: the device is bound to that driver now
                bound_to() {
                    [ -e "$SYSFS/bus/pci/devices/$1/driver" ] || return 1
                    _now=$(real_dir "$SYSFS/bus/pci/devices/$1/driver") || return 1
                    _want=$(real_dir "$SYSFS/bus/pci/drivers/$2") || return 1
                    [ "$_now" = "$_want" ]
                }

                # move ADDRESS VENDOR DEVICE DRIVER: bind the device to DRIVER (and name it among the VM's devices)
                move() {
                    check_ids "$1" "$2" "$3"
                    passed="$passed -device vfio-pci,host=$1"
                    if bound_to "$1" "$4"; then
                        say "$1 is already bound to $4"
                        return 0
                    fi
                    _dev="$SYSFS/bus/pci/devices/$1"
                    if [ "$use_driverctl" = yes ]; then
                        say "$1: driverctl set-override $1 $4"
                        driverctl set-override "$1" "$4" || die "driverctl could not move $1 to $4"
                    else
                        say "$1: driver_override = $4"
                        write_attr "$_dev/driver_override" "$4"
                        if [ -e "$_dev/driver" ]; then
                            say "$1: unbinding it from $(driver_of "$1")"
                            write_attr "$_dev/driver/unbind" "$1"
                        fi
                        say "$1: binding it to $4"
                        write_attr "$SYSFS/bus/pci/drivers/$4/bind" "$1"
                    fi
                }

                # is_bridge ADDRESS: the device has a bridge's class (PCI-to-PCI 0604xx, CardBus 0607xx)
                is_bridge() {
                    _class=$(read_attr "$SYSFS/bus/pci/devices/$1/class") || return 1
                    case $_class in 0x0604*|0x0607*) return 0 ;; *) return 1 ;; esac
                }

                # move_unless_bridge ADDRESS VENDOR DEVICE DRIVER: a member whose class the plan's source did not
                # give: a bridge (a root port above the device) stays as it is, since VFIO takes no bridge and
                # pcieport manages its own DMA; anything else is moved to DRIVER
                move_unless_bridge() {
                    check_ids "$1" "$2" "$3"
                    if is_bridge "$1"; then
                        say "$1 is a bridge (class $_class): VFIO does not take bridges"
                        unbind_only "$1" "$2" "$3"
                        return 0
                    fi
                    move "$1" "$2" "$3" "$4"
                }

                # unbind_only ADDRESS VENDOR DEVICE: leave the device without a driver (until the next reboot)
                unbind_only() {
                    check_ids "$1" "$2" "$3"
                    _dev="$SYSFS/bus/pci/devices/$1"
                    if [ "$(driver_of "$1")" = pcieport ]; then
                        say "$1 is bound to pcieport, which manages its own DMA: left as it is"
                    elif [ -e "$_dev/driver" ]; then
                        say "$1: unbinding it from $(driver_of "$1"); it stays without a driver"
                        write_attr "$_dev/driver/unbind" "$1"
                    fi
                }

                """);
    }
}
