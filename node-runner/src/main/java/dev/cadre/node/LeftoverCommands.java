package dev.cadre.node;

import dev.cadre.node.core.CommandStatus;
import dev.cadre.node.core.ExecRunRecord;
import dev.cadre.protocol.ExecMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What remote commands left on this node that no run of this runner reads, by attempt ({@link ExecSessions}): the
 * sessions of commands that ended with something of them still running, and what an earlier runner's commands
 * left; each is killed when its attempt ends.
 */
final class LeftoverCommands {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverCommands.class);

    /**
     * What a command left: its session, with its record, or its cgroup (record null).
     *
     * @param requestId the request it ran for, null when unknown
     * @param wrapper the wrapper in its cgroup, as recorded ({@link ExecRecords#recordWrapper}); else
     *     {@link JobProcesses.Leader#NONE} (a session's wrapper is its leader)
     */
    record Left(long jobId, int attempt, JobProcesses processes, ExecRunRecord record, String name,
            String requestId, JobProcesses.Leader wrapper) {
        Left(long jobId, int attempt, JobProcesses processes, ExecRunRecord record, String name, String requestId) {
            this(jobId, attempt, processes, record, name, requestId, JobProcesses.Leader.NONE);
        }

        /**
         * Whether its wrapper still runs (a session's leads it): it may yet make and open its named pipes. Where no
         * wrapper is known (a cgroup a runner before wrappers were recorded left), whether anything of it runs.
         */
        boolean wrapperRuns() {
            JobProcesses.Leader leader = record != null ? new JobProcesses.Leader(record.pid(), record.startTicks())
                    : wrapper;
            return leader.startTicks() >= 0 ? leader.running() : processes.alive();
        }
    }

    /** What reads on the output of an adopted command ({@link AdoptedOutput#relay}). */
    interface OutputReader {
        /**
         * @param record the path of its record without suffix ({@link ExecRecords#nameOf} in the exec records)
         * @param wrapperRuns whether the command's wrapper still runs: it may not have made or opened its named
         *     pipes yet
         */
        void read(String requestId, Path record, BooleanSupplier wrapperRuns);
    }

    private final ExecRecords records;
    private final Duration grace;
    /** Where commands' cgroups are looked for: the node's, or an earlier runner's for one tracking by session. */
    private final AttemptCgroups cgroups;
    /** By attempt key; guarded by itself. */
    private final Map<String, List<Left>> leftovers = new HashMap<>();

    /** @param cgroups where the commands' cgroups are, whatever this runner tracks by; null when nowhere */
    LeftoverCommands(ExecRecords records, Duration grace, AttemptCgroups cgroups) {
        this.records = records;
        this.grace = grace;
        this.cgroups = cgroups;
    }

    void leave(List<Left> left) {
        synchronized (leftovers) {
            left.forEach(r -> leftovers.computeIfAbsent(HeldAttempts.key(r.jobId(), r.attempt()),
                    k -> new ArrayList<>()).add(r));
        }
    }

    /**
     * Forgets, and returns, what the attempt's commands left, to be killed; the agent of each command an earlier
     * runner started is to be told its end ({@code ended}), which its records, forgotten with it, would tell no more.
     */
    List<Left> take(long jobId, int attempt, BiConsumer<String, ExecMessage.ExecExit> ended) {
        List<Left> left;
        synchronized (leftovers) {
            left = leftovers.remove(HeldAttempts.key(jobId, attempt));
        }
        if (left == null) {
            return List.of();
        }
        left.stream().filter(l -> l.requestId() != null).forEach(l -> ended.accept(l.requestId(), endOf(l)));
        return left;
    }

    /**
     * What the agent of a command an earlier runner started is told once its attempt has ended here: its exit, as its
     * wrapper recorded it, when it ended first; else that it is killed with its attempt, or ended unrecorded.
     */
    private ExecMessage.ExecExit endOf(Left left) {
        Optional<CommandStatus> status = records.exitStatus(left.name());
        if (status.isPresent()) {
            return new ExecMessage.ExecExit(left.requestId(), status.get().exitCode(), 0, null, null,
                    ExecRun.usage(left.processes(), status.get()));
        }
        String attempt = "job " + left.jobId() + " attempt " + left.attempt() + " has ended";
        return new ExecMessage.ExecExit(left.requestId(), ExecClient.UNREACHABLE, 0, left.processes().alive()
                ? attempt + ", and this command was killed with it" : attempt + ", and so has this command, its exit"
                + " status unrecorded", null, null);
    }

    /** Where what the attempt's commands left is, still listed, to be measured or killed with it. */
    List<JobProcesses> processes(long jobId, int attempt) {
        synchronized (leftovers) {
            return leftovers.getOrDefault(HeldAttempts.key(jobId, attempt), List.of()).stream()
                    .map(Left::processes).toList();
        }
    }

    /** @param suspended SIGCONT after the SIGTERM: its attempt is suspended here, its processes stopped */
    void kill(Left left, boolean suspended) {
        try {
            killProcesses(left, suspended);
        } finally {
            records.forgetRequest(left.name());
        }
    }

    private void killProcesses(Left left, boolean suspended) {
        ExecRunRecord r = left.record();
        if (r == null) {
            LOG.info("job {} attempt {}: killing what a remote command left in {}{}", left.jobId(), left.attempt(),
                    left.processes(), suspended ? ", continued after SIGTERM (suspended)" : "");
            if (!left.processes().terminate(grace, suspended) || !left.processes().removeIfGone()) {
                LOG.error("job {} attempt {}: processes are left in {} after SIGKILL", left.jobId(), left.attempt(),
                        left.processes());
            }
            return;
        }
        if (r.mayStillRun(ProcessGroups.startTicks(r.pid()))) {
            LOG.info("job {} attempt {}: killing the session {} a remote command left{}", r.jobId(), r.attempt(),
                    r.pid(), suspended ? ", continued after SIGTERM (suspended)" : "");
            left.processes().terminate(grace, suspended);
        }
        records.forget(r);
    }

    /**
     * Lists the sessions an earlier runner recorded, and the cgroups of its commands that are not empty or whose
     * agents are to be told a recorded exit status (the other empty cgroups are removed); before anything can release
     * an attempt.
     *
     * @param output given each command with a recorded request, to read on its output ({@link AdoptedOutput})
     */
    int adopt(OutputReader output) throws IOException {
        List<Left> found = new ArrayList<>();
        for (ExecRunRecord r : records.runs()) {
            String name = ExecRecords.nameOf(r, null);
            found.add(new Left(r.jobId(), r.attempt(), new JobProcesses.Session(new JobProcesses.Leader(r.pid(),
                    r.startTicks())), r, name, records.request(name).orElse(null)));
        }
        for (AttemptCgroups.Found f : execCgroups()) {
            String name = f.dir().getFileName().toString();
            Optional<String> request = records.request(name);
            // An empty cgroup is listed only for its agent to be told the recorded exit, and kept until its attempt
            // ends (killed with it): removed, its name would go to this runner's next command of the attempt, whose
            // records would take the place of the ones its agent is to be told.
            if (request.isPresent() && records.exitStatus(name).isPresent()
                    || !AttemptCgroups.removeIfEmpty(f.dir())) {
                found.add(new Left(f.name().jobId(), f.name().attempt(), new JobProcesses.Cgroup(f.dir()), null,
                        name, request.orElse(null), records.wrapper(name)));
            }
        }
        Set<String> names = found.stream().map(Left::name).collect(Collectors.toSet());
        for (String requested : records.requested()) {
            if (!names.contains(requested)) {
                records.forgetRequest(requested); // its command ended while no runner ran, or never ran
            }
        }
        leave(found);
        found.stream().filter(l -> l.requestId() != null).forEach(l -> output.read(l.requestId(),
                records.dir().resolve(l.name()), l::wrapperRuns));
        return found.size();
    }

    /**
     * The cgroups of commands an earlier runner left: in the node's cgroup directory, whatever this runner tracks by
     * (one that ran with cgroups and was restarted with sessions still finds them).
     */
    private List<AttemptCgroups.Found> execCgroups() throws IOException {
        return cgroups == null ? List.of() : cgroups.list().stream().filter(f -> f.name().isExec()).toList();
    }

    /**
     * The processes of a command an earlier runner started for this request, if it recorded the request: a
     * restarted runner answers the command's agent once they are gone. Once they are, when the command's wrapper
     * recorded its exit status, that exit goes to {@code ended} instead (the agent is told it as a lately ended
     * command's), and none is returned.
     */
    Optional<JobProcesses> adopted(String requestId, BiConsumer<String, ExecMessage.ExecExit> ended) {
        Optional<Left> left;
        synchronized (leftovers) {
            left = leftovers.values().stream().flatMap(List::stream).filter(l -> requestId.equals(l.requestId()))
                    .findFirst();
        }
        if (left.isEmpty() || left.get().processes().alive()) {
            return left.map(Left::processes);
        }
        // The wrapper, which leads the session (or is in the cgroup), recorded the status before it ended.
        Optional<CommandStatus> status = records.exitStatus(left.get().name());
        if (status.isEmpty()) {
            return left.map(Left::processes); // lost: its agent is told so
        }
        ended.accept(requestId, new ExecMessage.ExecExit(requestId, status.get().exitCode(), 0, null, null,
                ExecRun.usage(left.get().processes(), status.get())));
        return Optional.empty();
    }

    /**
     * The pids of the wrappers of the attempt's commands left here: the ids of their sessions, and the recorded
     * wrappers in their cgroups while those still run (by start time: a pid the wrapper left may go to the job's
     * next process, whose memory is the job's).
     */
    List<Long> leaders(long jobId, int attempt) {
        List<Left> left;
        synchronized (leftovers) {
            left = List.copyOf(leftovers.getOrDefault(HeldAttempts.key(jobId, attempt), List.of()));
        }
        return left.stream().flatMap(l -> l.processes() instanceof JobProcesses.Session s ? Stream.of(s.id())
                : l.wrapper().running() ? Stream.of(l.wrapper().pid()) : Stream.empty()).toList();
    }

    /** One of what each attempt not held here left, for its attempt to be killed. */
    List<Left> ofUnheld(HeldAttempts held) {
        List<Left> all;
        synchronized (leftovers) {
            all = leftovers.values().stream().flatMap(List::stream).toList();
        }
        Map<String, Left> unheld = new LinkedHashMap<>();
        for (Left r : all) {
            if (!held.holds(r.jobId(), r.attempt())) {
                unheld.putIfAbsent(HeldAttempts.key(r.jobId(), r.attempt()), r);
            }
        }
        return List.copyOf(unheld.values());
    }
}
