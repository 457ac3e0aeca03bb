package dev.iommufx.engine;

/** errno numbers for kernel-style returns ({@code return -EBUSY;}). */
final class Err {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int EBUSY = 16;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ENOTTY = 25;
    static final int EPROBE_DEFER = 517;

    private Err() {
    }
}
