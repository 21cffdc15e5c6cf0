package dev.cadre.broker;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The bound on the fullness of the head's disk above which submissions are refused, so that they stop before
 * Artemis blocks every producer, node heartbeats included, at {@link BrokerLimits#BROKER_DISK_PERCENT}. The broker
 * applies it to the submitter account's messages ({@link SendLimits}); the REST API, which submits through the
 * head's own account, asks it before it sends. Fullness is counted as Artemis counts it for its own bound, or the
 * two bounds would not be in order: see {@link Space#percentFull()}.
 */
public final class SubmissionDiskLimit {
    private static final long CHECK_NANOS = 1_000_000_000L;
    private final Path dataDir;
    private final int percent;
    private long checkedAt;
    private Optional<String> refusal;

    /**
     * @param dataDir the broker's data directory, whose file system is measured
     * @param percent refuse above this fullness; {@link BrokerLimits#clientDiskPercent()}
     */
    public SubmissionDiskLimit(Path dataDir, int percent) {
        this.dataDir = dataDir;
        this.percent = percent;
    }

    /**
     * A file system's size and free space, in bytes, as statvfs gives them.
     *
     * @param usable what unprivileged writers may still use (f_bavail)
     * @param unallocated what is free, the blocks reserved for root included (f_bfree)
     */
    public record Space(long total, long usable, long unallocated) {
        static Space of(FileStore store) throws IOException {
            return new Space(store.getTotalSpace(), store.getUsableSpace(), store.getUnallocatedSpace());
        }

        /**
         * Artemis' figure (FileStoreMonitor: 1 - usable / total), rounded up: the blocks reserved for root count
         * as used, so it is higher than df's wherever such blocks are reserved (5% of an ext4 file system by
         * default).
         */
        public int percentFull() {
            return total <= 0 ? 0 : roundedUp(total - usable, total);
        }

        /** df's Use%: used / (used + available), the blocks reserved for root counting as neither, rounded up. */
        public int dfPercent() {
            long used = total - unallocated;
            return used + usable <= 0 ? 0 : roundedUp(used, used + usable);
        }

        private static int roundedUp(long part, long whole) {
            return (int) Math.ceil(100.0 * part / whole);
        }
    }

    /** Why a submission is refused now, or empty; the disk is read at most once a second. */
    public synchronized Optional<String> refusal() {
        long now = System.nanoTime();
        if (refusal == null || now - checkedAt > CHECK_NANOS) {
            checkedAt = now;
            try {
                FileStore store = Files.getFileStore(dataDir);
                refusal = refusal(Space.of(store), percent, store.name() + ", which holds " + dataDir);
            } catch (IOException e) {
                // Unknown is not full: Artemis' own check still guards the disk.
                refusal = Optional.empty();
            }
        }
        return refusal;
    }

    /** @param disk names the file system for the operator */
    static Optional<String> refusal(Space space, int percent, String disk) {
        int full = space.percentFull();
        if (full <= percent) {
            return Optional.empty();
        }
        return Optional.of("the head's disk (" + disk + ") is " + full + "% full as the broker counts it, the space"
                + " reserved for root as used (df's Use%: " + space.dfPercent() + "%); submissions are refused above "
                + percent + "% until space is freed");
    }
}
