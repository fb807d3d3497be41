package io.nfchain.controller.placement;

/**
 * Immutable. An amount of what a node offers NF pods and what an NF instance takes from it:
 * whole cores, huge pages counted in pages of each size, and SR-IOV virtual functions.
 *
 * @param cores whole cores, >= 0 (NF pods are Guaranteed: they get whole cores or nothing)
 * @param hugepages2MiPages 2 MiB huge pages
 * @param hugepages1GiPages 1 GiB huge pages
 * @param vfs SR-IOV virtual functions
 */
public record Resources(long cores, long hugepages2MiPages, long hugepages1GiPages, long vfs) {
    public static final Resources NONE = new Resources(0, 0, 0, 0);

    public static Resources cores(long cores) {
        return new Resources(cores, 0, 0, 0);
    }

    public Resources plus(Resources o) {
        return new Resources(cores + o.cores, hugepages2MiPages + o.hugepages2MiPages,
                hugepages1GiPages + o.hugepages1GiPages, vfs + o.vfs);
    }

    public Resources minus(Resources o) {
        return new Resources(cores - o.cores, hugepages2MiPages - o.hugepages2MiPages,
                hugepages1GiPages - o.hugepages1GiPages, vfs - o.vfs);
    }

    /** True when every amount of {@code demand} is at most this one's. */
    public boolean covers(Resources demand) {
        return demand.cores <= cores && demand.hugepages2MiPages <= hugepages2MiPages
                && demand.hugepages1GiPages <= hugepages1GiPages && demand.vfs <= vfs;
    }

    /** True when no amount is negative: what an allocation must leave behind. */
    public boolean isNonNegative() {
        return cores >= 0 && hugepages2MiPages >= 0 && hugepages1GiPages >= 0 && vfs >= 0;
    }

    /** The amount of one dimension, for messages and ordering. */
    long amount(Dimension d) {
        return switch (d) {
            case CORES -> cores;
            case HUGEPAGES_2MI -> hugepages2MiPages;
            case HUGEPAGES_1GI -> hugepages1GiPages;
            case VFS -> vfs;
        };
    }

    /** The dimensions, with the words a placement message uses for them. */
    enum Dimension {
        CORES("cores"), HUGEPAGES_2MI("2Mi huge pages"), HUGEPAGES_1GI("1Gi huge pages"), VFS("VFs");

        final String words;

        Dimension(String words) {
            this.words = words;
        }
    }
}
