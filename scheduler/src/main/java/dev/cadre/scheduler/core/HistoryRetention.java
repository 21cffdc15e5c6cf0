package dev.cadre.scheduler.core;

import dev.cadre.protocol.Dependencies;
import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How long ended jobs stay in cadre.db (Slurm's PurgeJobAfter), and which of them a pruning pass may delete. Pure:
 * the clock, the retention and the rows decide.
 *
 * <p>An array is one unit: its tasks read the array record's spec, and a dependency on the array counts every task,
 * so it goes only when every row of it has ended before the cutoff. A job that an unfinished job's dependency names
 * stays, however old: once gone it could no longer be told apart from a job that never existed, and an {@code
 * afterok} on it would be judged never satisfied. So does a job whose events the outbox still holds (not yet
 * published, or the newest event, from which the next event number is counted).
 *
 * @param keep null: kept forever
 */
public record HistoryRetention(Duration keep) {
    /** Slurm's slurmdbd keeps job records unless PurgeJobAfter is set; so does Cadre. */
    public static final HistoryRetention FOREVER = new HistoryRetention(null);
    /** Shorter would take the history of jobs users are still looking at (sacct, the status page). */
    public static final Duration MINIMUM = Duration.ofHours(1);
    private static final Map<Character, Long> UNIT_SECONDS = Map.of('s', 1L, 'm', 60L, 'h', 3600L, 'd', 86_400L);

    public HistoryRetention {
        if (keep != null && keep.compareTo(MINIMUM) < 0) {
            throw new IllegalArgumentException("a history retention of at least 1h, not " + keep);
        }
    }

    /** One stored job row as pruning sees it. @param arrayJobId null unless the row belongs to an array */
    public record Row(long id, Long arrayJobId, JobState state, Instant endTime) {
        long unit() {
            return arrayJobId == null ? id : arrayJobId;
        }
    }

    /**
     * {@code forever}, or a duration of at least an hour: a number with {@code h} or {@code d} ({@code 12h},
     * {@code 90d}), or with {@code s} or {@code m}, or seconds alone.
     *
     * @param name what to call the value in the error, e.g. the option
     */
    public static HistoryRetention parse(String name, String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("forever")) {
            return FOREVER;
        }
        Long unit = s.isEmpty() ? null : UNIT_SECONDS.get(s.charAt(s.length() - 1));
        long seconds;
        try {
            long n = Long.parseLong(unit == null ? s : s.substring(0, s.length() - 1));
            // 1000 years is past any retention and leaves no room for overflow.
            if (n <= 0 || n > 365_000L * 86_400 / (unit == null ? 1 : unit)) {
                throw new NumberFormatException();
            }
            seconds = n * (unit == null ? 1 : unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be forever or a duration such as 90d or 12h, not '"
                    + text + "'");
        }
        if (seconds < MINIMUM.toSeconds()) {
            throw new IllegalArgumentException(name + " must be at least 1h (or forever), not '" + text + "'");
        }
        return new HistoryRetention(Duration.ofSeconds(seconds));
    }

    public boolean forever() {
        return keep == null;
    }

    /** Jobs that ended before this may go; empty when kept forever. */
    public Optional<Instant> cutoff(Clock clock) {
        return forever() ? Optional.empty() : Optional.of(clock.instant().minus(keep));
    }

    /** As given to the option: {@code forever}, {@code 90d}, {@code 12h}, or seconds. */
    @Override
    public String toString() {
        if (forever()) {
            return "forever";
        }
        long s = keep.toSeconds();
        return s % 86_400 == 0 ? s / 86_400 + "d" : s % 3600 == 0 ? s / 3600 + "h" : s + "s";
    }

    /**
     * The ids to delete: every row of each unit (a plain job, or an array with all its rows) whose rows have all
     * ended before the cutoff and none of which is held.
     *
     * @param rows every row of each unit considered (an array's unfinished rows included)
     * @param held job ids that must stay: named by unfinished jobs' dependencies, or held by the outbox
     */
    public static List<Long> prunable(Instant cutoff, Collection<Row> rows, Set<Long> held) {
        Map<Long, List<Row>> units = new LinkedHashMap<>();
        for (Row r : rows) {
            units.computeIfAbsent(r.unit(), k -> new ArrayList<>()).add(r);
        }
        List<Long> out = new ArrayList<>();
        for (Map.Entry<Long, List<Row>> unit : units.entrySet()) {
            boolean gone = !held.contains(unit.getKey()) && unit.getValue().stream().allMatch(r -> r.state().isTerminal()
                    && r.endTime() != null && r.endTime().isBefore(cutoff) && !held.contains(r.id()));
            if (gone) {
                unit.getValue().forEach(r -> out.add(r.id()));
            }
        }
        return out;
    }

    /**
     * The job ids unfinished jobs' dependencies name (an array's id stands for all its tasks). Text that does not
     * parse names nothing: it was checked when submitted, and the scheduler judges it, not pruning.
     */
    public static Set<Long> named(Collection<String> dependencies) {
        Set<Long> out = new HashSet<>();
        for (String text : dependencies) {
            try {
                for (Dependencies.Condition c : Dependencies.parse(text).conditions()) {
                    if (c.type() != Dependencies.Type.SINGLETON) {
                        out.add(c.jobId());
                    }
                }
            } catch (IllegalArgumentException unreadable) {
                // see above
            }
        }
        return out;
    }
}
