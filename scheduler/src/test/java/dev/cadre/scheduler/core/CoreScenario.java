package dev.cadre.scheduler.core;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A core driven the way the service drives it, with a fake clock and a job store kept as a map: admitted
 * jobs get ids, decisions are applied to the map (inserted tasks, changes, respecs), and ended jobs answer the
 * core's history lookups. Tests read the map as they would read SQLite.
 */
final class CoreScenario {
    final MutableClock clock;
    final Map<Long, JobRecord> stored = new HashMap<>();
    final List<JobChange> changes = new ArrayList<>();
    final List<NodeCommand> sent = new ArrayList<>();
    final SchedulerCore core;
    private final SchedulerSettings settings;
    /** The store's answers to the core, for a core started again over it. */
    final JobHistory history = new MapHistory();
    private long nextId = 1;

    CoreScenario(PlacementPolicy.Kind policy) {
        this(SchedulerSettings.defaults(Duration.ofSeconds(30)).withPolicy(policy));
    }

    CoreScenario(SchedulerSettings settings) {
        this(settings, new MutableClock(Instant.parse("2026-11-21T10:00:00Z")));
    }

    /** A head whose clock is this one (its time zone keeps a recurring reservation's local time). */
    CoreScenario(PlacementPolicy.Kind policy, MutableClock clock) {
        this(SchedulerSettings.defaults(Duration.ofSeconds(30)).withPolicy(policy), clock);
    }

    private CoreScenario(SchedulerSettings settings, MutableClock clock) {
        this.clock = clock;
        this.settings = settings;
        core = new SchedulerCore(clock, settings, (id, a) -> "t", history);
    }

    static JobSpec.Builder spec() {
        return JobSpec.builder().name("job").user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp").tasks(1)
                .timeLimitSeconds(600L);
    }

    void node(String id, int cores) {
        apply(core.onRunnerEvent(new RunnerEvent.NodeHeartbeat(id, id, List.of(), cores, 64_000, 0,
                runningOn(id), clock.instant())));
    }

    /** A heartbeat of node id that lists exactly these attempts, whatever the core believes runs there. */
    Decisions heartbeat(String id, int cores, RunnerEvent.RunningAttempt... running) {
        return apply(core.onRunnerEvent(new RunnerEvent.NodeHeartbeat(id, id, List.of(), cores, 64_000, 0,
                List.of(running), clock.instant())));
    }

    private List<RunnerEvent.RunningAttempt> runningOn(String node) {
        return stored.values().stream().filter(j -> j.state().isActive() && j.allocation().includes(node))
                .map(j -> new RunnerEvent.RunningAttempt(j.id(), j.attempt())).toList();
    }

    long submit(JobSpec.Builder b) {
        JobSpec spec = b.build();
        long id = Math.max(nextId, stored.keySet().stream().mapToLong(Long::longValue).max().orElse(0) + 1);
        nextId = id + 1;
        var array = spec.hasArray() ? new dev.cadre.protocol.ArrayPart(id, null, spec.arraySpec().indexes()) : null;
        JobRecord j = new JobRecord(id, "k" + id, spec, JobState.PENDING, "None", 0, null, false, null, null,
                clock.instant(), null, null, null, array);
        stored.put(id, j);
        core.admitted(j);
        return id;
    }

    Decisions schedule() {
        return apply(core.schedule());
    }

    Decisions apply(Decisions d) {
        for (JobRecord t : d.inserted()) {
            stored.put(t.id(), t);
            nextId = Math.max(nextId, t.id() + 1);
        }
        for (JobChange c : d.changes()) {
            stored.put(c.job().id(), c.job());
            changes.add(c);
        }
        d.respecified().forEach(j -> stored.put(j.id(), stored.get(j.id()).withSpec(j.spec())));
        d.dropped().forEach(stored::remove);
        d.messages().forEach(m -> sent.add((NodeCommand) m.message()));
        return d;
    }

    /** scontrol hold (admin) or uhold of the listed tasks of an array, applied. */
    ClientReply.ControlResult holdTasks(long array, String tasks, boolean admin) {
        var o = core.control().hold(new ControlRequest.HoldJob(array, null, ArrayIndexes.parse(tasks), admin, null));
        apply(o.decisions());
        return o.result();
    }

    /** scontrol release of the listed tasks of an array, by an administrator or its user, applied. */
    ClientReply.ControlResult releaseTasks(long array, String tasks, boolean admin) {
        var o = core.control().release(new ControlRequest.ReleaseJob(array, null, ArrayIndexes.parse(tasks), admin,
                null));
        apply(o.decisions());
        return o.result();
    }

    JobRecord job(long id) {
        return stored.get(id);
    }

    /** Its coordinator reports the job's current attempt running. */
    void confirm(long id) {
        JobRecord j = stored.get(id);
        apply(core.onRunnerEvent(new RunnerEvent.RunnerRunning(id, j.attempt(), j.allocation().coordinator()
                .nodeId(), clock.instant())));
    }

    /** scontrol suspend, applied. */
    JobControl.Outcome<ClientReply.ControlResult> suspend(long id) {
        var o = core.control().suspend(new ControlRequest.SuspendJob(id, null));
        apply(o.decisions());
        return o;
    }

    /** scontrol resume, applied. */
    JobControl.Outcome<ClientReply.ControlResult> resume(long id) {
        var o = core.control().resume(new ControlRequest.ResumeJob(id, null));
        apply(o.decisions());
        return o;
    }

    /** A head started again on what is stored (its unfinished jobs) and the nodes this one knows, at the clock. */
    SchedulerCore restartedHead(long nextId) {
        SchedulerCore restarted = new SchedulerCore(clock, settings, (i, a) -> "t", history);
        restarted.recover(stored.values().stream().filter(j -> !j.state().isTerminal()).toList(), core.nodes(),
                nextId);
        return restarted;
    }

    /** The clock's time plus d. */
    Instant in(Duration d) {
        return clock.instant().plus(d);
    }

    /** A job started on the one node, "n1" of 1 core, that holds it for an hour. */
    long blockingJob() {
        node("n1", 1);
        long id = submit(spec().timeLimitSeconds(3600L));
        schedule();
        if (job(id).state() != JobState.RUNNING) {
            throw new IllegalStateException("the blocking job did not start: " + job(id));
        }
        return id;
    }

    /** The node reports the job's current attempt over with this exit code. */
    void finish(long id, int exit) {
        JobRecord j = stored.get(id);
        apply(core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, j.attempt(), j.allocation().coordinator()
                .nodeId(), exit, 0, null, clock.instant(), null)));
    }

    void killed(long id, JobState as) {
        JobRecord j = stored.get(id);
        apply(core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, j.attempt(), j.allocation().coordinator()
                .nodeId(), 0, 15, as, clock.instant(), null)));
    }

    List<JobRecord> inState(JobState s) {
        return stored.values().stream().filter(j -> j.state() == s).sorted((a, b) -> Long.compare(a.id(), b.id()))
                .toList();
    }

    /** Ended jobs as the store would answer for them. */
    private final class MapHistory implements JobHistory {
        @Override
        public Optional<Ended> ended(long jobId) {
            return Optional.ofNullable(stored.get(jobId)).filter(j -> j.state().isTerminal())
                    .map(j -> new Ended(j.state(), j.startTime(), j.endTime(), j.array() == null ? null
                            : j.array().pending()));
        }

        @Override
        public int requeuesByRequest(long jobId) {
            Map<Integer, JobState> attempts = new HashMap<>();
            changes.stream().filter(c -> c.attempt() != null && c.attempt().jobId() == jobId)
                    .forEach(c -> attempts.put(c.attempt().attempt(), c.attempt().state()));
            return (int) attempts.values().stream().filter(s -> s == JobState.REQUEUED).count();
        }

        @Override
        public Optional<AttemptRecord> attempt(long jobId, int attempt) {
            AttemptRecord last = null;
            for (JobChange c : changes) {
                if (c.attempt() != null && c.attempt().jobId() == jobId && c.attempt().attempt() == attempt) {
                    last = c.attempt();
                }
            }
            return Optional.ofNullable(last);
        }

        @Override
        public Map<JobState, Integer> endedTasks(long arrayJobId) {
            Map<JobState, Integer> out = new HashMap<>();
            stored.values().stream().filter(j -> j.array() != null && j.array().arrayJobId() == arrayJobId
                    && j.array().taskId() != null && j.state().isTerminal())
                    .forEach(j -> out.merge(j.state(), 1, Integer::sum));
            unstartedParts(arrayJobId).forEach(j -> out.merge(j.state(), j.array().pending().count(), Integer::sum));
            return out;
        }

        @Override
        public Optional<Ended> endedTask(long arrayJobId, int taskId) {
            return stored.values().stream().filter(j -> j.array() != null && j.array().arrayJobId() == arrayJobId
                    && Integer.valueOf(taskId).equals(j.array().taskId()) && j.state().isTerminal()).findFirst()
                    .or(() -> unstartedParts(arrayJobId).stream().filter(j -> j.array().pending().contains(taskId))
                            .findFirst())
                    .map(j -> new Ended(j.state(), j.startTime(), j.endTime()));
        }

        @Override
        public Optional<dev.cadre.protocol.ArrayIndexes> arrayTaskIds(long arrayJobId) {
            return Optional.ofNullable(stored.get(arrayJobId)).filter(j -> j.array() != null
                    && j.array().arrayJobId() == arrayJobId && j.spec().hasArray())
                    .map(j -> j.spec().arraySpec().indexes());
        }

        @Override
        public Optional<dev.cadre.protocol.ArrayPart> arrayPartOf(long jobId) {
            return Optional.ofNullable(stored.get(jobId)).map(JobRecord::array);
        }

        /** Every ended row of the array (tasks, parts, its own), by state, exit codes as jobs.exit_code, null as 0. */
        @Override
        public Map<JobState, ExitRange> arrayExits(long arrayJobId) {
            Map<JobState, ExitRange> out = new HashMap<>();
            stored.values().stream().filter(j -> j.array() != null && j.array().arrayJobId() == arrayJobId
                    && j.state().isTerminal()).forEach(j -> {
                        int exit = j.exitCode() == null ? 0 : j.exitCode();
                        out.merge(j.state(), new ExitRange(exit, exit), (x, y) -> new ExitRange(
                                Math.min(x.lowest(), y.lowest()), Math.max(x.highest(), y.highest())));
                    });
            return out;
        }

        /** As jobs.cancelled_by: the latest name a change stored, read for the jobs still being stopped. */
        @Override
        public Map<Long, String> killCancellers(java.util.Collection<Long> stoppingJobIds) {
            Map<Long, String> named = new HashMap<>();
            changes.stream().filter(c -> c.cancelledBy() != null && stoppingJobIds.contains(c.job().id())
                    && stored.get(c.job().id()).state() == JobState.COMPLETING)
                    .forEach(c -> named.put(c.job().id(), c.cancelledBy()));
            return named;
        }

        /** Records in which a task-list cancel ended pending tasks together, as the store keeps them. */
        private List<JobRecord> unstartedParts(long arrayJobId) {
            return stored.values().stream().filter(j -> j.array() != null && j.array().arrayJobId() == arrayJobId
                    && j.id() != arrayJobId && j.array().taskId() == null && j.array().pending() != null
                    && j.state().isTerminal()).toList();
        }
    }
}
