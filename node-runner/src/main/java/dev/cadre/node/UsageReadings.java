package dev.cadre.node;

import dev.cadre.node.core.AttemptUsage;
import dev.cadre.node.core.ProcessIo;
import dev.cadre.node.core.ProcessTimes;
import dev.cadre.node.core.VirtualMemory;
import dev.cadre.protocol.ResourceUsage;
import dev.cadre.protocol.UsageMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what a running attempt has used on this node so far, for read-usage (protocol.md 15.2, sstat): where the node
 * runs its script, the processes there, the attempt's remote commands here and what its remote commands that ended
 * told ({@link RemoteCommandUsage}); elsewhere, its remote commands here. A cgroup gives its counters, those of
 * processes that ended included; a session, the CPU times of its live processes and of the children they reaped
 * ({@link ProcessTimes}), with no memory peak. Everything is read at once, from cgroup.procs or the session's listing
 * the node already makes ({@link JobProcesses#pids}): nothing waits, and a process that ends mid-read is left out.
 * The live processes give the memory they hold and their virtual memory now, and what they and the children they
 * reaped read and wrote ({@link ProcessIo}; the script's wrapper too, which reaps the script and its orphans).
 */
final class UsageReadings {
    private static final Path PROC = Path.of("/proc");

    /** The attempts whose script this node runs, from their start until their end is reported. */
    interface Coordinated {
        /** The attempt, or null when this node does not run its script. */
        RunningAttempt find(long jobId, int attempt);
    }

    /** The attempts this node holds, coordinated here or elsewhere ({@link HeldAttempts}): their commands run here. */
    interface Held {
        boolean holds(long jobId, int attempt);
    }

    /** What one reading found: the processes' usage together, the job's processes now, whether any ran. */
    private static final class Found {
        ResourceUsage usage;
        final Set<Long> pids = new LinkedHashSet<>();
        /** Cadre's script wrapper while it runs: not the job's, but what it reaped (the script, orphans) is. */
        final Set<Long> reapers = new LinkedHashSet<>();
        boolean running;

        void add(ResourceUsage more) {
            usage = AttemptUsage.combined(usage, more);
        }
    }

    private final String nodeId;
    private final Coordinated coordinated;
    /** The remote commands run here ({@link ExecSessions}); null on a node without remote exec. */
    private final MemoryWatch.RemoteCommands commands;
    private final Held held;
    private final Clock clock;

    UsageReadings(String nodeId, Coordinated coordinated, MemoryWatch.RemoteCommands commands, Held held,
            Clock clock) {
        this.nodeId = nodeId;
        this.coordinated = coordinated;
        this.commands = commands;
        this.held = held;
        this.clock = clock;
    }

    /** The answer to the request; never throws. */
    UsageMessage.UsageReading read(UsageMessage.ReadUsage request) {
        Instant now = clock.instant();
        long jobId = request.jobId();
        int attempt = request.attempt();
        if (attempt < 1) {
            return refused(request, false, now, "attempt must be at least 1, not " + attempt);
        }
        try {
            RunningAttempt here = coordinated.find(jobId, attempt);
            if (here == null && !held.holds(jobId, attempt)) {
                return refused(request, true, now, "attempt " + attempt + " of job " + jobId + " is not running on"
                        + " node " + nodeId + ": it never ran here, has not started here yet, or has ended");
            }
            Found found = new Found();
            if (here != null) {
                readScript(here, found);
            }
            if (commands != null) {
                readCommands(jobId, attempt, found);
            }
            if (here != null) {
                found.add(here.remoteUsage.sumSoFar());
            }
            List<Long> pids = List.copyOf(found.pids);
            List<Long> readers = new ArrayList<>(pids);
            readers.addAll(found.reapers);
            ProcessIo io = storageIo(readers);
            return new UsageMessage.UsageReading(jobId, attempt, found.running, false, found.usage,
                    ResidentMemory.of(pids, 0), virtualBytes(pids), io == null ? null : io.readBytes(),
                    io == null ? null : io.writeBytes(), pids.subList(0, Math.min(pids.size(), UsageMessage.MAX_PIDS)),
                    now, null);
        } catch (RuntimeException e) {
            // /proc not listable, or a fault of the node's: the head hears why, the listener goes on.
            return refused(request, false, now, "cannot read the usage of attempt " + attempt + " of job " + jobId
                    + " on node " + nodeId + ": " + e.getMessage());
        }
    }

    /** The processes under the attempt's script: its cgroup's, or its wrapper's session's. */
    private static void readScript(RunningAttempt r, Found found) {
        JobProcesses.Leader wrapper = r.wrapper;
        List<Long> all = r.processes.pids();
        // Until the wrapper has joined its cgroup, just after its start, the wrapper runs outside it.
        found.running |= !all.isEmpty() || !r.wrapperEnded && wrapper.running();
        List<Long> job = all.stream().filter(p -> p != wrapper.pid()).toList();
        found.pids.addAll(job);
        if (!r.wrapperEnded && wrapper.running()) {
            found.reapers.add(wrapper.pid());
        }
        if (r.processes instanceof JobProcesses.Cgroup c) {
            // Removed once nothing is left in it, its counters read just before.
            ResourceUsage counted = c.usage();
            found.add(counted != null ? counted : r.cgroupUsage);
            return;
        }
        List<ProcessTimes> times = new ArrayList<>(timesOf(job));
        // The wrapper's own CPU is Cadre's; the children it reaped (orphans it took in as the job's subreaper) are
        // the job's, and were no live process's once reaped: without them the reading could go down.
        if (!r.wrapperEnded) {
            read(wrapper.pid()).filter(t -> t.startTicks() == wrapper.startTicks())
                    .ifPresent(t -> times.add(t.reapedOnly()));
        }
        found.add(ProcessTimes.usage(times, SystemConfiguration.clockTicksPerSecond()));
    }

    /**
     * The attempt's remote commands here: each one's cgroup, or its wrapper's session. A command's wrapper is left
     * out whole: what its command reaped is told with the command's exit and counted then by the coordinator.
     */
    private void readCommands(long jobId, int attempt, Found found) {
        Set<Long> wrappers = commands.wrappers(jobId, attempt);
        for (JobProcesses p : commands.processes(jobId, attempt)) {
            List<Long> all = p.pids();
            found.running |= !all.isEmpty();
            List<Long> job = all.stream().filter(pid -> !wrappers.contains(pid)).toList();
            found.pids.addAll(job);
            found.add(p instanceof JobProcesses.Cgroup c ? c.usage()
                    : ProcessTimes.usage(timesOf(job), SystemConfiguration.clockTicksPerSecond()));
        }
    }

    /** The processes' virtual memory now, their VmSize summed; one that ended since the listing adds nothing. */
    private static long virtualBytes(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            long one = VirtualMemory.sizeBytes(procFile(pid, "status")).orElse(0);
            sum = sum > Long.MAX_VALUE - one ? Long.MAX_VALUE : sum + one;
        }
        return sum;
    }

    /**
     * What the processes read and wrote, with the children they reaped; null when no process's could be read. One
     * whose io cannot be read (another user's, or a set-user-id program's for a runner that is not root: the kernel
     * asks for the right to trace it) is left out rather than failing the reading, as is one that has ended.
     */
    private static ProcessIo storageIo(List<Long> pids) {
        return ProcessIo.sum(pids.stream().map(pid -> ProcessIo.parse(procFile(pid, "io")))
                .flatMap(Optional::stream).toList());
    }

    /** A file of the process's /proc directory; null once it has ended or when it cannot be read. */
    private static String procFile(long pid, String name) {
        try {
            return Files.readString(PROC.resolve(Long.toString(pid)).resolve(name), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null;
        }
    }

    private static List<ProcessTimes> timesOf(List<Long> pids) {
        return pids.stream().map(UsageReadings::read).flatMap(Optional::stream).toList();
    }

    /** The process's times; empty once it has ended (since it was listed) or when its stat cannot be read. */
    private static Optional<ProcessTimes> read(long pid) {
        return ProcessTimes.parse(procFile(pid, "stat"));
    }

    /** @param absent whether the node has no record of the attempt */
    private static UsageMessage.UsageReading refused(UsageMessage.ReadUsage r, boolean absent, Instant now,
            String error) {
        return new UsageMessage.UsageReading(r.jobId(), r.attempt(), false, absent, null, null, null, null, null,
                List.of(), now, error);
    }
}
