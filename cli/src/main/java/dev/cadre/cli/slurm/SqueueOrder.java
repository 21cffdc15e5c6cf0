package dev.cadre.cli.slurm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * squeue's order of lines (-S, default "P,t,-p"): jobs are first put latest start first (not started yet counts
 * as latest), then stably sorted by each key from the last to the first, as squeue does; '-' before a key
 * reverses it. With one partition and priorities Cadre computes itself, the default comes to: completing,
 * then pending, then running jobs, each by fixed priority, then newest start first, then by id.
 */
public final class SqueueOrder {
    public static final String DEFAULT = "P,t,-p";

    private SqueueOrder() {
    }

    /** @throws SlurmUsageException "Invalid sort specification: X" for a key squeue does not know */
    public static List<SqueueJob> sort(List<SqueueJob> jobs, String spec, Instant now) throws SlurmUsageException {
        List<SqueueJob> out = new ArrayList<>(jobs);
        out.sort(Comparator.comparing(SqueueJob::id));
        out.sort(Comparator.comparing((SqueueJob j) -> startKey(j, now)).reversed());
        for (int i = spec.length() - 1; i >= 0; i--) {
            char c = spec.charAt(i);
            if (c == ',' || c == '+' || c == '-') {
                continue;
            }
            Comparator<SqueueJob> key = key(c, now);
            if (key == null) {
                continue;
            }
            out.sort(i > 0 && spec.charAt(i - 1) == '-' ? key.reversed() : key);
        }
        return out;
    }

    /** Not started yet sorts after every start, as squeue's "now + 100". */
    private static long startKey(SqueueJob j, Instant now) {
        return j.startTime() == null ? now.getEpochSecond() + 100 : j.startTime().getEpochSecond();
    }

    /** @return null for a key squeue accepts and ignores */
    private static Comparator<SqueueJob> key(char c, Instant now) throws SlurmUsageException {
        return switch (c) {
            case 'i' -> Comparator.comparing(SqueueJob::arrayOrJobId)
                    .thenComparing(j -> j.arrayTaskId() == null ? -1 : j.arrayTaskId());
            case 'A' -> Comparator.comparing(SqueueJob::id);
            case 'j' -> Comparator.comparing(SqueueJob::name);
            case 'u' -> Comparator.comparing(SqueueJob::user);
            case 't' -> Comparator.comparing(j -> j.state().shortCode());
            case 'T' -> Comparator.comparing(j -> j.state().name());
            case 'M' -> Comparator.comparing(j -> j.elapsedSeconds(now));
            case 'l' -> Comparator.comparing(j -> j.timeLimitSeconds() == null ? Long.MAX_VALUE
                    : j.timeLimitSeconds());
            case 'L' -> Comparator.comparing(j -> j.timeLimitSeconds() == null ? Long.MAX_VALUE
                    : j.timeLimitSeconds() - j.elapsedSeconds(now));
            case 'D' -> Comparator.comparing(SqueueJob::nodes);
            case 'C' -> Comparator.comparing(SqueueJob::cpus);
            case 'S' -> Comparator.comparing(j -> startKey(j, now));
            case 'V' -> Comparator.comparing(j -> j.submitTime() == null ? 0 : j.submitTime().getEpochSecond());
            case 'e' -> Comparator.comparing(j -> j.endTime() == null ? 0 : j.endTime().getEpochSecond());
            case 'N' -> Comparator.comparing(SqueueJob::nodesOrReason);
            case 'p', 'Q' -> Comparator.comparing(j -> j.priority() == null ? 0 : j.priority());
            // One partition, and no values for the rest in Cadre: every job compares equal.
            case 'P', 'B', 'c', 'd', 'f', 'g', 'G', 'h', 'H', 'I', 'J', 'm', 'n', 'O', 'U', 'v', 'z' -> null;
            default -> throw new SlurmUsageException("squeue: error: Invalid sort specification: " + c);
        };
    }
}
