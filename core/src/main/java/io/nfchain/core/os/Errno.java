package io.nfchain.core.os;

/**
 * Linux x86_64 errno numbers and their symbolic names (1..133, as in the kernel's
 * {@code asm-generic/errno-base.h} and {@code errno.h}).
 *
 * <p>Only the numbers this package or its callers test for have constants; {@link #name(int)}
 * knows them all. Aliases ({@code EWOULDBLOCK}, {@code EDEADLOCK}, {@code ENOTSUP}) share a
 * number with the name reported here.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    /** Also {@code EWOULDBLOCK}: a non-blocking call found nothing to do. */
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int ENOSPC = 28;
    public static final int EPIPE = 32;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRINUSE = 98;
    public static final int ENETDOWN = 100;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;

    /** Highest errno number Linux defines on x86_64. */
    public static final int MAX = 133;

    /** Index = errno; null where Linux leaves a number unused (0, 41, 58). */
    private static final String[] NAMES = {
        /*   0 */ null, "EPERM", "ENOENT", "ESRCH",
        /*   4 */ "EINTR", "EIO", "ENXIO", "E2BIG",
        /*   8 */ "ENOEXEC", "EBADF", "ECHILD", "EAGAIN",
        /*  12 */ "ENOMEM", "EACCES", "EFAULT", "ENOTBLK",
        /*  16 */ "EBUSY", "EEXIST", "EXDEV", "ENODEV",
        /*  20 */ "ENOTDIR", "EISDIR", "EINVAL", "ENFILE",
        /*  24 */ "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG",
        /*  28 */ "ENOSPC", "ESPIPE", "EROFS", "EMLINK",
        /*  32 */ "EPIPE", "EDOM", "ERANGE", "EDEADLK",
        /*  36 */ "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY",
        /*  40 */ "ELOOP", null, "ENOMSG", "EIDRM",
        /*  44 */ "ECHRNG", "EL2NSYNC", "EL3HLT", "EL3RST",
        /*  48 */ "ELNRNG", "EUNATCH", "ENOCSI", "EL2HLT",
        /*  52 */ "EBADE", "EBADR", "EXFULL", "ENOANO",
        /*  56 */ "EBADRQC", "EBADSLT", null, "EBFONT",
        /*  60 */ "ENOSTR", "ENODATA", "ETIME", "ENOSR",
        /*  64 */ "ENONET", "ENOPKG", "EREMOTE", "ENOLINK",
        /*  68 */ "EADV", "ESRMNT", "ECOMM", "EPROTO",
        /*  72 */ "EMULTIHOP", "EDOTDOT", "EBADMSG", "EOVERFLOW",
        /*  76 */ "ENOTUNIQ", "EBADFD", "EREMCHG", "ELIBACC",
        /*  80 */ "ELIBBAD", "ELIBSCN", "ELIBMAX", "ELIBEXEC",
        /*  84 */ "EILSEQ", "ERESTART", "ESTRPIPE", "EUSERS",
        /*  88 */ "ENOTSOCK", "EDESTADDRREQ", "EMSGSIZE", "EPROTOTYPE",
        /*  92 */ "ENOPROTOOPT", "EPROTONOSUPPORT", "ESOCKTNOSUPPORT", "EOPNOTSUPP",
        /*  96 */ "EPFNOSUPPORT", "EAFNOSUPPORT", "EADDRINUSE", "EADDRNOTAVAIL",
        /* 100 */ "ENETDOWN", "ENETUNREACH", "ENETRESET", "ECONNABORTED",
        /* 104 */ "ECONNRESET", "ENOBUFS", "EISCONN", "ENOTCONN",
        /* 108 */ "ESHUTDOWN", "ETOOMANYREFS", "ETIMEDOUT", "ECONNREFUSED",
        /* 112 */ "EHOSTDOWN", "EHOSTUNREACH", "EALREADY", "EINPROGRESS",
        /* 116 */ "ESTALE", "EUCLEAN", "ENOTNAM", "ENAVAIL",
        /* 120 */ "EISNAM", "EREMOTEIO", "EDQUOT", "ENOMEDIUM",
        /* 124 */ "EMEDIUMTYPE", "ECANCELED", "ENOKEY", "EKEYEXPIRED",
        /* 128 */ "EKEYREVOKED", "EKEYREJECTED", "EOWNERDEAD", "ENOTRECOVERABLE",
        /* 132 */ "ERFKILL", "EHWPOISON",
    };

    private Errno() {}

    /**
     * The symbolic name of {@code errno}, such as {@code "ECONNREFUSED"}; for a number Linux
     * does not define, {@code "errno <n>"}.
     */
    public static String name(int errno) {
        if (errno > 0 && errno < NAMES.length && NAMES[errno] != null) {
            return NAMES[errno];
        }
        return "errno " + errno;
    }
}
