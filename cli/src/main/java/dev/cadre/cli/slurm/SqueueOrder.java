package dev.cadre.cli.slurm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * squeue's order of lines (-S, default "P,t,-p"): jobs are first put latest start first (not started yet counts
 * as latest), then stably sorted by each key from the last to the first, as squeue does; '-' before a key
 * reverses it. With one partition, the default comes to: completing, then pending, then running jobs, each
 * highest priority first (as scontrol shows it), then newest start first, then by id.
 */
public final class SqueueOrder {
    public static final String DEFAULT = "P,t,-p";

    private SqueueOrder() {
    }

    /** @throws SlurmUsageException "Invalid sort specification: X" for a key squeue does not know */
    public static List<SqueueJob> sort(List<SqueueJob> jobs, String spec, Instant now) throws SlurmUsageException {
        List<SqueueJob> out = new ArrayList<>(jobs);
        out.sort(order(spec, now));
        return out;
    }

    /**
     * The order as one comparison: squeue's stable sorts, by id, then latest start first, then by each key from
     * the last to the first, come to comparing by the first key, then the next, ..., then start, then id; jobs
     * equal in all of them keep the order they came in.
     *
     * @throws SlurmUsageException "Invalid sort specification: X" for a key squeue does not know
     */
    public static Comparator<SqueueJob> order(String spec, Instant now) throws SlurmUsageException {
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c == ',' || c == '+' || c == '-') {
                continue;
            }
            if (Key.KNOWN.indexOf(c) < 0) {
                throw new SlurmUsageException("squeue: error: Invalid sort specification: " + c);
            }
            keys.add(new Key(c, i > 0 && spec.charAt(i - 1) == '-', now));
        }
        keys.add(new Key('S', true, now));
        keys.add(new Key('A', false, now));
        return new Keys(keys);
    }

    private record Keys(List<Key> keys) implements Comparator<SqueueJob> {
        @Override
        public int compare(SqueueJob a, SqueueJob b) {
            for (Key k : keys) {
                int c = k.compare(a, b);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }
    }

    /** One of squeue's sort keys; a key squeue accepts that has no value in Cadre compares every job equal. */
    private record Key(char key, boolean descending, Instant now) implements Comparator<SqueueJob> {
        static final String KNOWN = "iAjutTMlLDCSVeNpQPBcdfgGhHIJmnOUvz";

        @Override
        public int compare(SqueueJob a, SqueueJob b) {
            int c = switch (key) {
                case 'i' -> a.arrayOrJobId() != b.arrayOrJobId() ? Long.compare(a.arrayOrJobId(), b.arrayOrJobId())
                        : Integer.compare(task(a), task(b));
                case 'A' -> Long.compare(a.id(), b.id());
                case 'j' -> a.name().compareTo(b.name());
                case 'u' -> a.user().compareTo(b.user());
                case 't' -> a.state().shortCode().compareTo(b.state().shortCode());
                case 'T' -> a.state().name().compareTo(b.state().name());
                case 'M' -> Long.compare(a.elapsedSeconds(now), b.elapsedSeconds(now));
                case 'l' -> Long.compare(limit(a), limit(b));
                case 'L' -> Long.compare(left(a), left(b));
                case 'D' -> Integer.compare(a.nodes(), b.nodes());
                case 'C' -> Integer.compare(a.cpus(), b.cpus());
                case 'S' -> Long.compare(start(a), start(b));
                case 'V' -> Long.compare(epoch(a.submitTime()), epoch(b.submitTime()));
                case 'e' -> Long.compare(epoch(a.endTime()), epoch(b.endTime()));
                case 'N' -> a.nodesOrReason().compareTo(b.nodesOrReason());
                case 'p', 'Q' -> Long.compare(priority(a), priority(b));
                default -> 0;
            };
            return descending ? -c : c;
        }

        private static long priority(SqueueJob j) {
            return j.priority() == null ? 0 : j.priority();
        }

        private static int task(SqueueJob j) {
            return j.arrayTaskId() == null ? -1 : j.arrayTaskId();
        }

        private static long limit(SqueueJob j) {
            return j.timeLimitSeconds() == null ? Long.MAX_VALUE : j.timeLimitSeconds();
        }

        private long left(SqueueJob j) {
            return j.timeLimitSeconds() == null ? Long.MAX_VALUE : j.timeLimitSeconds() - j.elapsedSeconds(now);
        }

        /** Not started yet sorts after every start, as squeue's "now + 100". */
        private long start(SqueueJob j) {
            return j.startTime() == null ? now.getEpochSecond() + 100 : j.startTime().getEpochSecond();
        }

        private static long epoch(Instant t) {
            return t == null ? 0 : t.getEpochSecond();
        }
    }
}
