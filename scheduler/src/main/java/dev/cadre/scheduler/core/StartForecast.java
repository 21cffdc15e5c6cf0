package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.FairShare;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When each waiting job is expected to start, and where (squeue --start; Slurm's expected start times): the jobs that
 * wait only for room (reason Resources or Priority, or none yet), in priority order, each planned at the earliest time
 * it fits for its whole time limit around the running jobs, which end at their limits, and the jobs planned before
 * it, as conservative backfill plans: in steps of the backfill resolution, on multiples of it so that asking again
 * gives the same times, up to the backfill window. Under first come, first served no job starts before one ahead of
 * it, so its start is at least theirs. A job held back until a {@code --begin} time is planned alike from then on,
 * then or later if the nodes are busy then; one the plan does not reach (a begin time beyond the window, a job
 * beyond the depth or after the job a first come, first served plan stopped at) is expected at its begin time,
 * wherever room is then. Pure, and apart from the passes: asking changes nothing.
 *
 * <p>As in Slurm, an estimate: jobs that end before their limits, later jobs of higher priority and EASY backfill,
 * which keeps only the first waiting job's start, all move it. A job that fits nowhere within the window, or that
 * comes after the most jobs planned (the backfill depth), has none; nor has one whose --deadline its planned start
 * would miss ({@link Deadlines#endsTooLate}), which a pass ends DEADLINE before then.
 */
public final class StartForecast {
    /**
     * A planned start, and the hosts the job would run on.
     *
     * @param cpus the processors it would be given there: its tasks' CPUs, or the hosts' whole count for an
     *        exclusive job (sbatch --test-only's "using N processors"); null when no hosts are named
     */
    public record Start(long jobId, Instant at, List<String> hosts, Integer cpus) {
        /** A job waiting for a begin time the plan does not reach: expected then, wherever room is then. */
        static Start unplaced(long jobId, Instant at) {
            return new Start(jobId, at, List.of(), null);
        }
    }

    private static final String BEGIN_TIME = "BeginTime";
    /** No job has this id: job ids start at 1. */
    private static final long NO_TRIAL = -1;
    /** Reasons of jobs free to start but for room: not yet looked at, requeued, or waiting their turn. */
    private static final Set<String> WAITING_FOR_ROOM = Set.of("None", "Requeued", "Resources", "Priority",
            AdvanceReservations.MAINTENANCE);

    private final FreeResources free;
    private final List<Release> running;
    private final Instant now;
    private final Duration resolution;
    private final Duration window;
    private final boolean inOrder;
    private final int depth;
    private final List<JobRecord> pending;
    private final long nextId;
    private final FairShare shares;

    /**
     * The cluster as things stand, and how far to plan: taken under the scheduler's lock, cheaply, and planned after
     * on any thread. Nothing here is shared with the core: the free resources and the releases are built for it, and
     * job records never change.
     *
     * @param inOrder whether jobs start strictly in priority order (first come, first served)
     * @param depth the most jobs planned
     * @param pending the pending jobs the plan can use (at least every one it lists), in id order
     * @param nextId the id the next job submitted would get, for a trial
     * @param shares the users' fair-share points the order adds
     */
    StartForecast(FreeResources free, List<Release> running, Instant now, Duration resolution, Duration window,
            boolean inOrder, int depth, List<JobRecord> pending, long nextId, FairShare shares) {
        this.free = free;
        this.running = running;
        this.now = now;
        this.resolution = resolution;
        this.window = window;
        this.inOrder = inOrder;
        this.depth = depth;
        this.pending = pending;
        this.nextId = nextId;
        this.shares = shares;
    }

    /** Without fair-share points, as the head orders jobs by default. */
    StartForecast(FreeResources free, List<Release> running, Instant now, Duration resolution, Duration window,
            boolean inOrder, int depth, List<JobRecord> pending, long nextId) {
        this(free, running, now, resolution, window, inOrder, depth, pending, nextId, FairShare.NONE);
    }

    /**
     * The pending jobs a plan can use, read under the scheduler's lock only as far as it can use them. While
     * submission times never decrease along the ids ({@link PendingQueue#submittedInIdOrder}), the jobs whose priority
     * is their age alone and that nothing holds back are in priority order by id, and none waits for a begin time:
     * of them, the first {@code depth} that wait for room are all a plan can reach (a trial, planned beyond the
     * depth, comes after the jobs of its priority or higher, and the depth is spent by then too). The others (a
     * fixed priority, a nice value, a hold, a dependency, a begin time, an array...) may go anywhere in the order and
     * are taken whole, those the plan may list. Otherwise every pending job it may list is taken. The jobs taken are
     * ordered later, off the lock: a queue of 100,000 plain jobs and a few others is read a thousand jobs deep.
     * Users' fair-share points that differ undo the order by id: then too every job it may list is taken.
     */
    static List<JobRecord> candidates(JobTable jobs, Instant now, int depth, FairShare shares) {
        List<JobRecord> out = new ArrayList<>();
        if (!jobs.pendingSubmittedInIdOrder() || !shares.uniform()) {
            for (JobRecord j : jobs.pending()) {
                if (mayBeListed(j, now)) {
                    out.add(j);
                }
            }
            return Collections.unmodifiableList(out);
        }
        for (JobRecord j : jobs.pending()) {
            if (out.size() == depth) {
                break;
            }
            if (waitsForRoom(j) && !PendingQueue.irregular(j)) {
                out.add(j);
            }
        }
        for (JobRecord j : jobs.pendingIrregular()) {
            if (mayBeListed(j, now)) {
                out.add(j);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Whether a plan may list or plan the job: it waits only for room, or for a begin time still to come, and not in
     * an advance reservation (the plan holds reserved nodes from every job). A plan of only these jobs gives what a
     * plan of every pending job gives, as it passes over the others untouched.
     */
    static boolean mayBeListed(JobRecord j, Instant now) {
        return j.spec().reservation() == null && (WAITING_FOR_ROOM.contains(j.reason()) || waitsForBeginTime(j, now));
    }

    /** Whether the job waits only for room: the jobs the depth counts. */
    static boolean waitsForRoom(JobRecord j) {
        return WAITING_FOR_ROOM.contains(j.reason());
    }

    private static boolean waitsForBeginTime(JobRecord j, Instant now) {
        return BEGIN_TIME.equals(j.reason()) && j.spec().beginTime() != null && j.spec().beginTime().isAfter(now);
    }

    /** For tests: how many pending jobs were taken for the plan. */
    int jobsTaken() {
        return pending.size();
    }

    /** The expected starts of the pending jobs: changes nothing, and may run on any thread. */
    public List<Start> starts() {
        return plan(Priorities.ordered(pending, now, shares), NO_TRIAL);
    }

    /**
     * sbatch --test-only: when and where a job submitted now would be expected to start, under the id it would get
     * were nothing else submitted first; nothing is stored ({@link #trial(JobRecord, List)}).
     */
    public Trial trial(JobSpec spec) {
        String reason = spec.beginTime() != null && spec.beginTime().isAfter(now) ? BEGIN_TIME : "None";
        return trial(new JobRecord(nextId, null, spec, JobState.PENDING, reason, 0, null, false, null, null, now,
                null, null), pending);
    }

    /**
     * sbatch --test-only: where a job submitted now would come in that plan, behind the pending jobs of its
     * priority or higher. It is planned even beyond the depth, since that limit keeps a pass short and this asks
     * about one job; the jobs beyond it are left out, so the answer may be early then.
     *
     * @param trial the job, not stored: the id the next job would get, submitted now
     * @return its start, or why it has none
     */
    private Trial trial(JobRecord trial, List<JobRecord> pending) {
        JobSpec spec = trial.spec();
        if (spec.hold() != null) {
            return new Trial(null, "it would be held (" + spec.hold() + ") until released");
        }
        if (spec.dependency() != null) {
            return new Trial(null, "it would wait for its dependency (" + spec.dependency() + ")");
        }
        if (spec.reservation() != null) {
            return new Trial(null, "it would run in reservation " + spec.reservation() + ", which plans leave out");
        }
        List<JobRecord> all = new ArrayList<>(pending.size() + 1);
        all.addAll(pending);
        all.add(trial);
        for (Start s : plan(Priorities.ordered(all, now, shares), trial.id())) {
            if (s.jobId() == trial.id()) {
                return new Trial(s, null);
            }
        }
        return new Trial(null, "it would not start within the backfill window (" + window.toMinutes()
                + " minutes) as things stand");
    }

    /**
     * Whether planning the other gives what planning this one gives, the clock aside: the same pending records (job
     * records never change, so the very same ones), nodes, free resources and releases (those due now as due at
     * each one's time), and times in the same step of the resolution, so that both plan on the same grid. A start
     * forecast asked for while one of the same state waits or is being planned may share its answer, the answer of
     * that one's time: a moment earlier, with nothing else different.
     */
    public boolean sameStateAs(StartForecast o) {
        if (inOrder != o.inOrder || depth != o.depth || !resolution.equals(o.resolution) || !window.equals(o.window)
                || !origin().equals(o.origin()) || pending.size() != o.pending.size()
                || running.size() != o.running.size()) {
            return false;
        }
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i) != o.pending.get(i)) {
                return false;
            }
        }
        for (int i = 0; i < running.size(); i++) {
            Release a = running.get(i);
            Release b = o.running.get(i);
            boolean sameTime = a.at().equals(b.at()) || a.at().equals(now) && b.at().equals(o.now);
            if (!sameTime || a.wholeNodes() != b.wholeNodes() || !a.allocation().equals(b.allocation())) {
                return false;
            }
        }
        return free.sameAs(o.free);
    }

    /**
     * Steps are counted from a multiple of the resolution, not from now: the same plan then gives the same times
     * however often it is asked for, as squeue --start is run again and again.
     */
    private Instant origin() {
        long stepMillis = resolution.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), stepMillis) * stepMillis);
    }

    /** A trial job's planned start, or, when null, why it has none. */
    public record Trial(Start start, String reason) {
    }

    private List<Start> plan(List<JobRecord> pending, long trialId) {
        Instant origin = origin();
        ResourceProfile profile = new ResourceProfile(free, running, origin, resolution, window);
        EarliestStart search = new EarliestStart(profile);
        List<Start> starts = new ArrayList<>();
        Instant notBefore = now;
        boolean planning = true;
        int planned = 0;
        for (JobRecord j : pending) {
            JobSpec spec = j.spec();
            boolean later = waitsForBeginTime(j, now);
            if (!later && (!planning || !waitsForRoom(j))) {
                continue;
            }
            int from = later ? profile.firstStepFrom(spec.beginTime()) : 0;
            boolean reached = planning && (planned++ < depth || j.id() == trialId);
            if (later && (!reached || from >= profile.steps())) {
                // Not before its begin time, whatever the plan does not see.
                starts.add(Start.unplaced(j.id(), spec.beginTime()));
                continue;
            }
            if (!reached) {
                continue;
            }
            int length = profile.length(Release.limitOf(spec));
            Optional<ResourceProfile.Slot> slot = search.find(spec, length, from);
            if (slot.isEmpty()) {
                // Under first come, first served nothing behind it starts before it, and it has no start; a job
                // whose time has not come yet holds up no one before then.
                planning = later || !inOrder;
                continue;
            }
            Instant at = origin.plus(resolution.multipliedBy(slot.get().start()));
            at = at.isBefore(now) ? now : at;
            at = inOrder && at.isBefore(notBefore) ? notBefore : at;
            if (Deadlines.endsTooLate(spec, at)) {
                // A pass ends it DEADLINE before then: it has no start, and holds no room for those after it.
                continue;
            }
            profile.reserve(slot.get(), length, spec);
            // The jobs after one waiting for its begin time may start before that time comes.
            notBefore = inOrder && !later ? at : notBefore;
            starts.add(placed(j.id(), at, slot.get().allocation()));
        }
        return starts;
    }

    private static Start placed(long jobId, Instant at, Allocation a) {
        List<String> hosts = new ArrayList<>(a.nodes().size());
        int cpus = 0;
        for (Allocation.NodeSlots n : a.nodes()) {
            hosts.add(n.hostname());
            cpus += n.cpus();
        }
        return new Start(jobId, at, hosts, cpus);
    }
}
