package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When each waiting job is expected to start, and where (squeue --start; Slurm's expected start times): the jobs that
 * wait only for room (reason Resources or Priority, or none yet), in priority order, each planned at the earliest time
 * it fits for its whole time limit around the running jobs, which end at their limits, and the jobs planned before
 * it, as conservative backfill plans: in steps of the backfill resolution, on multiples of it so that asking again
 * gives the same times, up to the backfill window. Under first come, first served no job starts before one ahead of
 * it, so its start is at least theirs. A job held back until a {@code --begin} time is expected then, wherever room
 * is then. Pure, and apart from the passes: asking changes nothing.
 *
 * <p>As in Slurm, an estimate: jobs that end before their limits, later jobs of higher priority and EASY backfill,
 * which keeps only the first waiting job's start, all move it. A job that fits nowhere within the window, or that
 * comes after the most jobs planned (the backfill depth), has none.
 */
public final class StartForecast {
    /** A planned start, and the hosts the job would run on. */
    public record Start(long jobId, Instant at, List<String> hosts) {
    }

    private static final String BEGIN_TIME = "BeginTime";
    /** No job has this id: job ids start at 1. */
    private static final long NO_TRIAL = -1;
    /** Reasons of jobs free to start but for room: not yet looked at, requeued, or waiting their turn. */
    private static final Set<String> WAITING_FOR_ROOM = Set.of("None", "Requeued", "Resources", "Priority");

    private final FreeResources free;
    private final List<Release> running;
    private final Instant now;
    private final Duration resolution;
    private final Duration window;
    private final boolean inOrder;
    private final int depth;

    /**
     * The cluster as things stand, and how far to plan.
     *
     * @param inOrder whether jobs start strictly in priority order (first come, first served)
     * @param depth the most jobs planned
     */
    StartForecast(FreeResources free, List<Release> running, Instant now, Duration resolution, Duration window,
            boolean inOrder, int depth) {
        this.free = free;
        this.running = running;
        this.now = now;
        this.resolution = resolution;
        this.window = window;
        this.inOrder = inOrder;
        this.depth = depth;
    }

    /** @param pending the pending jobs, in priority order */
    List<Start> plan(List<JobRecord> pending) {
        return plan(pending, NO_TRIAL);
    }

    /**
     * sbatch --test-only: where a job submitted now would come in that plan, behind the pending jobs of its
     * priority or higher. It is planned even beyond the depth, since that limit keeps a pass short and this asks
     * about one job; the jobs beyond it are left out, so the answer may be early then.
     *
     * @param trial the job, not stored: the id the next job would get, submitted now
     * @return its start, or why it has none
     */
    Trial trial(JobRecord trial, List<JobRecord> pending) {
        JobSpec spec = trial.spec();
        if (spec.hold() != null) {
            return new Trial(null, "it would be held (" + spec.hold() + ") until released");
        }
        if (spec.dependency() != null) {
            return new Trial(null, "it would wait for its dependency (" + spec.dependency() + ")");
        }
        List<JobRecord> all = new ArrayList<>(pending.size() + 1);
        all.addAll(pending);
        all.add(trial);
        for (Start s : plan(Priorities.ordered(all, now), trial.id())) {
            if (s.jobId() == trial.id()) {
                return new Trial(s, null);
            }
        }
        return new Trial(null, "it would not start within the backfill window (" + window.toMinutes()
                + " minutes) as things stand");
    }

    /** A trial job's planned start, or, when null, why it has none. */
    public record Trial(Start start, String reason) {
    }

    private List<Start> plan(List<JobRecord> pending, long trialId) {
        // Steps counted from a multiple of the resolution, not from now: the same plan then gives the same times
        // however often it is asked for, as squeue --start is run again and again.
        long stepMillis = resolution.toMillis();
        Instant origin = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), stepMillis) * stepMillis);
        ResourceProfile profile = new ResourceProfile(free, running, origin, resolution, window);
        EarliestStart search = new EarliestStart(profile);
        List<Start> starts = new ArrayList<>();
        Instant notBefore = now;
        boolean planning = true;
        int planned = 0;
        for (JobRecord j : pending) {
            JobSpec spec = j.spec();
            if (BEGIN_TIME.equals(j.reason()) && spec.beginTime() != null && spec.beginTime().isAfter(now)) {
                starts.add(new Start(j.id(), spec.beginTime(), List.of()));
                continue;
            }
            if (!planning || !WAITING_FOR_ROOM.contains(j.reason())) {
                continue;
            }
            if (planned++ >= depth && j.id() != trialId) {
                continue;
            }
            int length = profile.length(Release.limitOf(spec));
            Optional<ResourceProfile.Slot> slot = search.find(spec, length);
            if (slot.isEmpty()) {
                // Under first come, first served nothing behind it starts before it, and it has no start.
                planning = !inOrder;
                continue;
            }
            profile.reserve(slot.get(), length, spec);
            Instant at = origin.plus(resolution.multipliedBy(slot.get().start()));
            at = at.isBefore(now) ? now : at;
            if (inOrder) {
                at = at.isBefore(notBefore) ? notBefore : at;
                notBefore = at;
            }
            starts.add(new Start(j.id(), at, hosts(slot.get().allocation())));
        }
        return starts;
    }

    private static List<String> hosts(Allocation a) {
        List<String> hosts = new ArrayList<>(a.nodes().size());
        for (Allocation.NodeSlots n : a.nodes()) {
            hosts.add(n.hostname());
        }
        return hosts;
    }
}
