package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Moving a service's instances off drained nodes, as kubectl drain evicts pods: a drain waits for the jobs on the
 * node to end, and an instance never ends by itself. Each leaving instance is replaced elsewhere first and
 * stopped once enough replacements run, so the service keeps its running count; a replacement that cannot start
 * within {@link #GRACE} of the drain (no room elsewhere, a FAILED service) does not hold the drain up. The stop
 * is a cancel: it spends no failure budget, and the replacement was started already.
 *
 * @param leaving the running instances with a drained node in their allocation
 */
record DrainMoves(List<JobRecord> leaving) {
    /** How long a drain waits for the replacements of the instances on its node before stopping them anyway. */
    static final Duration GRACE = Duration.ofSeconds(60);

    static DrainMoves of(List<JobRecord> live, Map<String, Instant> drainedSince) {
        if (drainedSince.isEmpty()) {
            return new DrainMoves(List.of());
        }
        return new DrainMoves(live.stream().filter(j -> j.state() == JobState.RUNNING && drainedSince(j,
                drainedSince) != null).toList());
    }

    /**
     * The moving instances to stop now: as many as the running instances on undrained nodes exceed what the
     * service needs besides them, and every one whose node was drained longer ago than the grace.
     *
     * @param cancelled ids already cancelled in this round
     */
    Stops stopNow(List<JobRecord> moving, List<JobRecord> live, List<Long> cancelled, int replicas,
            Map<String, Instant> drainedSince, Instant now) {
        if (moving.isEmpty()) {
            return new Stops(List.of(), List.of(), 0, replicas);
        }
        long runningElsewhere = live.stream().filter(j -> j.state() == JobState.RUNNING && !leaving.contains(j)
                && !cancelled.contains(j.id())).count();
        long replaced = Math.max(0, runningElsewhere + moving.size() - replicas);
        List<JobRecord> covered = new ArrayList<>();
        List<JobRecord> overdue = new ArrayList<>();
        for (JobRecord j : moving) {
            if (covered.size() < replaced) {
                covered.add(j);
            } else if (!drainedSince(j, drainedSince).plus(GRACE).isAfter(now)) {
                overdue.add(j);
            }
        }
        long running = runningElsewhere + moving.size() - covered.size() - overdue.size();
        return new Stops(covered, overdue, running, replicas);
    }

    /**
     * The instances a move stops now.
     *
     * @param replaced each stopped because an instance elsewhere runs in its place
     * @param overdue each stopped because its node was drained {@link #GRACE} ago, though nothing replaced it
     * @param runningAfter the service's instances that still run once these are stopped
     */
    record Stops(List<JobRecord> replaced, List<JobRecord> overdue, long runningAfter, int replicas) {
        List<JobRecord> all() {
            List<JobRecord> all = new ArrayList<>(replaced);
            all.addAll(overdue);
            return all;
        }

        /**
         * What the log says of a move: which instances left which drained nodes, whether anything took their
         * place, and what still runs; empty when nothing is stopped. An operator reading "replaced" must be able
         * to trust that the service is still up.
         */
        String describe() {
            if (replaced.isEmpty() && overdue.isEmpty()) {
                return "";
            }
            StringBuilder b = new StringBuilder();
            for (JobRecord j : replaced) {
                b.append(b.isEmpty() ? "" : "; ").append(stopped(j)).append(" (replaced elsewhere)");
            }
            for (JobRecord j : overdue) {
                b.append(b.isEmpty() ? "" : "; ").append(stopped(j)).append(" (no replacement could start within ")
                        .append(GRACE.toSeconds()).append(" s of the drain)");
            }
            return b.append("; the service has ").append(runningAfter).append(" of ").append(replicas)
                    .append(" running; a move spends no failure budget").toString();
        }

        private static String stopped(JobRecord j) {
            return "instance " + j.id() + " stopped to move it off drained node " + j.allocation().hostnames();
        }
    }

    /** The earliest drain among the instance's nodes, or null when none of them is drained. */
    private static Instant drainedSince(JobRecord j, Map<String, Instant> drainedSince) {
        if (j.allocation() == null) {
            return null;
        }
        Instant earliest = null;
        for (String node : j.allocation().nodeIds()) {
            Instant since = drainedSince.get(node);
            if (since != null && (earliest == null || since.isBefore(earliest))) {
                earliest = since;
            }
        }
        return earliest;
    }
}
