package dev.cadre.scheduler.core;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.ControlRequestValidator;
import dev.cadre.protocol.Dependencies;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * What users ask of queued and running jobs: scancel, and scontrol hold, release, requeue and update. A request
 * names a job, a whole array (by the array's id: its own record, its parts and its tasks) or one array task; a
 * pending task still inside its array's record or a part of it is split off first, so that it alone changes.
 */
public final class JobControl {
    private final Clock clock;
    private final JobTable jobs;
    private final JobEndings endings;
    private final LongSupplier ids;
    private final KillOrders kills;
    private final RunningLimit runningLimit;
    private final TaskListControl taskLists;
    private final JobSuspension suspension;
    /** Why a dependency names a job that does not exist, as a submission's is judged. */
    private final Function<Dependencies, Optional<String>> unknownDependency;
    /** Users who are not operators may move their own jobs to the top (scontrol top). */
    private final boolean enableUserTop;
    /** The time-limit shares mailed, which new mail types clear ({@link RetypedMail}). */
    private final JobMail mail;
    private final AdvanceReservations reservations;

    JobControl(Clock clock, JobTable jobs, JobEndings endings, LongSupplier ids,
            Function<Dependencies, Optional<String>> unknownDependency, boolean enableUserTop, JobMail mail,
            AdvanceReservations reservations) {
        this.clock = clock;
        this.mail = mail;
        this.reservations = reservations;
        this.enableUserTop = enableUserTop;
        this.unknownDependency = unknownDependency;
        this.jobs = jobs;
        this.endings = endings;
        this.ids = ids;
        this.kills = new KillOrders(clock, jobs, endings);
        this.runningLimit = new RunningLimit(clock, jobs, kills::stop);
        this.taskLists = new TaskListControl(clock, jobs, endings, ids, kills::requeue);
        this.suspension = new JobSuspension(clock, jobs);
    }

    public record Outcome<R extends ClientReply>(Decisions decisions, R result) {
    }

    /** The record to change: the target itself, or the task split off its array's record. */
    private JobRecord own(RequestTargets t, JobRecord j, Decisions d) {
        return t.inside() == null ? j : ArraySplits.split(j, t.inside(), ids, d, jobs, clock.instant());
    }

    /**
     * Pending jobs end at once; running ones are killed and end when their node confirms. A task list is one
     * decision over the array's tasks ({@link TaskListCancel}).
     */
    public Outcome<ClientReply.CancelResult> cancel(ControlRequest.CancelJob request) {
        String user = request.user();
        String bad = ControlRequestValidator.problem(request);
        if (bad != null) {
            // Refused as drain-node refuses its user: the name is stored and printed, so a bad one changes nothing.
            return new Outcome<>(new Decisions(), new ClientReply.CancelResult(request.jobId(), false, null, bad));
        }
        if (request.tasks() != null) {
            return request.taskId() != null ? new Outcome<>(new Decisions(), new ClientReply.CancelResult(
                    request.jobId(), false, null, TaskListControl.BOTH))
                    : new TaskListCancel(clock, jobs, endings, ids, (j, endAs) -> kills.stop(j, endAs, user), user)
                            .cancel(request.jobId(), request.tasks());
        }
        Decisions d = new Decisions();
        RequestTargets t = RequestTargets.resolve(jobs, request.jobId(), request.taskId());
        if (t.problem() != null) {
            return new Outcome<>(d, new ClientReply.CancelResult(request.jobId(), false, null, t.problem()));
        }
        JobState shown = null;
        boolean stopping = false;
        for (JobRecord target : t.records()) {
            JobRecord j = own(t, target, d);
            JobState after = switch (j.state()) {
                case PENDING, REQUEUED -> {
                    d.addAll(endings.cancelled(jobs, j, "CancelledByUser", user));
                    yield JobState.CANCELLED;
                }
                case RUNNING, SUSPENDED -> {
                    d.addAll(kills.stop(j, JobState.CANCELLED, user));
                    yield JobState.COMPLETING;
                }
                case COMPLETING -> {
                    // Being requeued: the cancel wins, so the attempt ends the job instead of queueing it again.
                    if (j.reason().equals(JobState.REQUEUED.name())) {
                        d.addAll(kills.stop(j, JobState.CANCELLED, user));
                    } else {
                        stopping = true;
                    }
                    yield JobState.COMPLETING;
                }
                default -> {
                    stopping = true;
                    yield j.state();
                }
            };
            shown = shown == null || after == JobState.COMPLETING ? after : shown;
        }
        String note = stopping && t.records().size() == 1 ? "job " + request.jobId() + " is already being stopped"
                : null;
        return new Outcome<>(d, new ClientReply.CancelResult(request.jobId(), true, shown, note));
    }

    /** scancel --signal ({@link JobSignalling}). */
    public Outcome<ClientReply.ControlResult> signal(ControlRequest.SignalJob r) {
        return JobSignalling.signal(jobs, r);
    }

    /** scontrol suspend ({@link JobSuspension}). */
    public Outcome<ClientReply.ControlResult> suspend(ControlRequest.SuspendJob r) {
        return suspension.suspend(r.jobId(), r.taskId());
    }

    /** scontrol resume ({@link JobSuspension}). */
    public Outcome<ClientReply.ControlResult> resume(ControlRequest.ResumeJob r) {
        return suspension.resume(r.jobId(), r.taskId());
    }

    /**
     * scontrol top ({@link QueueTop}): every change is stored and announced as an update's, in one decision. A task
     * still inside its array's record names that record, whose pending tasks move together, as in Slurm.
     */
    public Outcome<ClientReply.TopResult> top(ControlRequest.TopJobs r) {
        Decisions d = new Decisions();
        String bad = ControlRequestValidator.problem(r);
        if (bad != null) {
            return new Outcome<>(d, ClientReply.TopResult.refused(null, null, null, bad));
        }
        List<JobRecord> listed = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ControlRequest.TopJobs.Target t : r.jobs()) {
            JobRecord holder = t.taskId() == null ? null : jobs.holding(t.jobId(), t.taskId());
            listed.add(t.taskId() == null ? jobs.get(t.jobId()) : holder != null ? holder
                    : jobs.task(t.jobId(), t.taskId()));
            names.add(t.toString());
        }
        QueueTop.Decision decided = QueueTop.decide(listed, names, jobs.pending(), r.user(), r.operator(),
                enableUserTop, clock);
        if (decided.refusal() != null) {
            return new Outcome<>(d, decided.refusal());
        }
        for (QueueTop.Change c : decided.changes()) {
            JobRecord j = jobs.get(c.jobId());
            JobRecord updated = j.withSpec(j.spec().toBuilder().nice(c.nice() == 0 && j.spec().nice() == null ? null
                    : c.nice()).priority(c.priority() == null ? j.spec().priority() : c.priority()).build());
            jobs.put(updated);
            d.respec(updated);
        }
        return new Outcome<>(d, ClientReply.TopResult.done(decided.changes().size()));
    }

    /** A task list is one decision over the array's tasks ({@link TaskListControl}), as for cancel. */
    public Outcome<ClientReply.ControlResult> hold(ControlRequest.HoldJob r) {
        PendingChange hold = PendingChange.hold(r.admin());
        return r.tasks() != null ? taskLists.change(r.jobId(), r.taskId(), r.tasks(), hold)
                : pendingOnly(r.jobId(), r.taskId(), hold, null);
    }

    public Outcome<ClientReply.ControlResult> release(ControlRequest.ReleaseJob r) {
        PendingChange release = PendingChange.release(r.admin());
        return r.tasks() != null ? taskLists.change(r.jobId(), r.taskId(), r.tasks(), release)
                : pendingOnly(r.jobId(), r.taskId(), release, null);
    }

    /**
     * Refused as a whole, changing nothing, when the spec it makes for any target it may change would be invalid, or
     * a reservation is not for it ({@link ReservationMove}). A running target takes a time limit, mail fields and a
     * reservation alone; what the update decides beyond the records it names: {@link SpecUpdate#decideBeyondRecords}.
     */
    public Outcome<ClientReply.ControlResult> update(ControlRequest.UpdateJob r) {
        SpecUpdate update = new SpecUpdate(r);
        RequestTargets t = RequestTargets.resolve(jobs, r.jobId(), r.taskId());
        String problem = update.problem(clock.instant());
        problem = problem != null ? problem : UpdateChecks.problem(r, t.records(), jobs, unknownDependency);
        for (int i = 0; problem == null && i < t.records().size(); i++) {
            JobRecord j = t.records().get(i);
            boolean running = runs(j) && update.changesRunning();
            String wrong = j.state() == JobState.PENDING || running ? update.problem(j.spec(), running) : null;
            if (wrong != null) {
                String name = t.inside() == null ? j.displayId() : r.jobId() + "_" + t.inside();
                problem = "job " + name + " was not updated: " + wrong;
            }
        }
        problem = problem != null ? problem : ReservationMove.problem(r, t.records(), reservations);
        if (problem == null) {
            // The pass after sets the reason the new begin time, dependency or throttle gives (Eligibility).
            var done = pendingOnly(r.jobId(), r.taskId(), new PendingChange("updated", update::applyTo, null, null),
                    update.changesRunning() ? j -> notPending(j, update) : null);
            update.decideBeyondRecords(t.records(), jobs, mail, done.decisions(), done.result().ok());
            return done;
        }
        JobState state = t.records().isEmpty() ? null : t.inside() != null ? JobState.PENDING
                : t.records().get(0).state();
        return new Outcome<>(new Decisions(), new ClientReply.ControlResult(r.jobId(), false, state, problem));
    }

    /** A running record takes limit, throttle, reservation ({@link ReservationMove}); a stopping one, the throttle. */
    private Decisions notPending(JobRecord j, SpecUpdate update) {
        if (runs(j)) {
            JobSpec spec = ReservationMove.forRunning(update.forRunning(j.spec()), j, reservations, clock.instant());
            return runningLimit.respec(j, spec);
        }
        return j.state() == JobState.COMPLETING && update.changesThrottle()
                ? runningLimit.respec(j, update.forStopping(j.spec())) : null;
    }

    /** Running or suspended: a job whose time limit an update may change, which a requeue stops. */
    private static boolean runs(JobRecord j) {
        return j.state() == JobState.RUNNING || j.state() == JobState.SUSPENDED;
    }

    /**
     * A running job is stopped and queued again; with hold, it is then held by its user. A suspended one is held
     * whatever was asked, as Slurm holds a suspended job it requeues.
     */
    public Outcome<ClientReply.ControlResult> requeue(ControlRequest.RequeueJob r) {
        if (r.tasks() != null) {
            return taskLists.requeue(r.jobId(), r.taskId(), r.tasks(), r.hold());
        }
        Decisions d = new Decisions();
        RequestTargets t = RequestTargets.resolve(jobs, r.jobId(), r.taskId());
        if (t.problem() != null) {
            return new Outcome<>(d, new ClientReply.ControlResult(r.jobId(), false, null, t.problem()));
        }
        List<JobRecord> running = t.records().stream().filter(JobControl::runs).toList();
        if (running.isEmpty()) {
            JobRecord first = t.records().get(0);
            return new Outcome<>(d, new ClientReply.ControlResult(r.jobId(), false, first.state(), "job "
                    + first.displayId() + " is " + first.state() + "; only a running job can be requeued"));
        }
        running.forEach(j -> d.addAll(kills.requeue(j, r.hold() || j.state() == JobState.SUSPENDED)));
        return new Outcome<>(d, new ClientReply.ControlResult(r.jobId(), true, JobState.COMPLETING, null));
    }

    /**
     * Changes the spec of every pending target. The others are refused by name, unless {@code whileRunning} may
     * change them (a running one's new time limit, which its node is told of; an array's throttle).
     *
     * @param whileRunning what changing a target that is not pending decides, null for one it cannot change; null when
     *        such targets are all refused
     */
    private Outcome<ClientReply.ControlResult> pendingOnly(long jobId, Integer taskId, PendingChange change,
            Function<JobRecord, Decisions> whileRunning) {
        Decisions d = new Decisions();
        RequestTargets t = RequestTargets.resolve(jobs, jobId, taskId);
        if (t.problem() != null) {
            return new Outcome<>(d, new ClientReply.ControlResult(jobId, false, null, t.problem()));
        }
        Instant now = clock.instant();
        String refused = null;
        int changed = 0;
        Set<Long> arrays = new TreeSet<>();
        JobState shown = JobState.PENDING;
        for (JobRecord j : t.records()) {
            Decisions taken = whileRunning != null && j.state() != JobState.PENDING && t.inside() == null
                    ? whileRunning.apply(j) : null;
            if (taken != null) {
                d.addAll(taken);
                shown = j.state();
                changed++;
                continue;
            }
            String only = whileRunning == null ? "; only pending jobs can be " : "; only pending and running jobs can"
                    + " be ";
            String problem = j.state() != JobState.PENDING ? "is " + j.state() + only + change.verb()
                    : change.problem(j);
            if (problem != null) {
                refused = refused == null ? "job " + j.displayId() + " " + problem : refused;
                continue;
            }
            changed++;
            if (t.inside() != null && change.leavesAsItIs(j, now)) {
                continue;
            }
            JobRecord own = own(t, j, d);
            change.applyTo(own, now, jobs, d);
            if (own.array() != null && own.array().taskId() == null) {
                arrays.add(own.array().arrayJobId());
            }
        }
        // A whole array or a part changed may now be as another record of its pending tasks is: they join.
        arrays.forEach(a -> ArraySplits.coalesce(a, jobs, d, now));
        boolean ok = changed > 0;
        return new Outcome<>(d, new ClientReply.ControlResult(jobId, ok, ok ? shown
                : t.records().get(0).state(), ok ? null : refused));
    }
}
