package dev.iommufx.engine;

/**
 * The errno values the simulated kernel returns ({@code include/uapi/asm-generic/errno-base.h},
 * {@code include/linux/errno.h}). Engine methods return {@code 0} or {@code -code} like the kernel;
 * this enum names them for results and files.
 */
public enum Errno {
    OK(0),
    EPERM(1),
    ENOENT(2),
    EIO(5),
    ENXIO(6),
    EBADF(9),
    EAGAIN(11),
    ENOMEM(12),
    EACCES(13),
    EFAULT(14),
    EBUSY(16),
    EEXIST(17),
    ENOTTY(25),
    ENODEV(19),
    EINVAL(22),
    ENOSPC(28),
    ERANGE(34),
    EBADFD(77),
    EPROBE_DEFER(517);

    private final int code;

    Errno(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    private static final Errno[] BY_CODE = new Errno[EPROBE_DEFER.code + 1];

    static {
        for (Errno e : values()) {
            BY_CODE[e.code] = e;
        }
    }

    /** The errno for a kernel return value ({@code -16} and {@code 16} both give EBUSY). */
    public static Errno of(int ret) {
        int code = Math.abs(ret);
        Errno e = code < BY_CODE.length ? BY_CODE[code] : null;
        if (e == null) {
            throw new IllegalArgumentException("unknown errno " + ret);
        }
        return e;
    }

    /** Parses "EBUSY" or "ok"; null if neither. */
    public static Errno parse(String name) {
        if (name == null) {
            return null;
        }
        if (name.equalsIgnoreCase("ok")) {
            return OK;
        }
        for (Errno e : values()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** "ok" for success, else the errno name. */
    public String label() {
        return this == OK ? "ok" : name();
    }
}
