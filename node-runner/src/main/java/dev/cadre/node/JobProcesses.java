package dev.cadre.node;

import dev.cadre.node.core.AttemptUsage;
import dev.cadre.protocol.ResourceUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the processes of an attempt, or of a remote command, are: the session and process group its leader opened
 * ({@link ProcessGroups}), or the cgroup its wrapper joined ({@link AttemptCgroups}), which a process that leaves
 * the session cannot leave. Kills, warnings and the check that nothing is left go by it.
 *
 * <p>The leader (the wrapper, or a command's bash) is known by its pid and start time ({@link Leader}): once it has
 * ended, its pid may go to any later process on the machine, which the node-runner, as root, could otherwise kill.
 */
sealed interface JobProcesses {
    /** SIGTERM or SIGKILL to every process; Cadre's wrapper may be spared SIGTERM, which it does not die of. */
    void signal(ProcessGroups.Stop stop);

    boolean alive();

    /** A signal as kill(1) options to every process now but {@code spared}; returns those signalled. */
    List<Long> signalAllBut(long spared, List<String> killOptions);

    /** The same processes once the leader is known to have ended: its pid counts for nothing from then on. */
    JobProcesses leaderEnded();

    /** The pids of every process now; some may end before they are read. */
    List<Long> pids();

    /**
     * Forgets where the processes were once none is left: true when none is (for a cgroup, that it is removed).
     * Costs a job's end no search of /proc for a cgroup, an rmdir that fails while anything is in it.
     */
    default boolean removeIfGone() {
        return !alive();
    }

    /** Waits until nothing is left or the timeout passes; returns whether nothing is. */
    default boolean awaitGone(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (alive()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !alive();
            }
        }
        return true;
    }

    /** SIGTERM, then SIGKILL to what is left after the grace period; returns whether nothing is left. */
    default boolean terminate(Duration grace) {
        return terminate(grace, false);
    }

    /**
     * @param suspended SIGCONT after the SIGTERM: the processes were stopped by a suspend ({@link AttemptSuspension}),
     *     and a stopped process takes a SIGTERM it handles only once continued (else the SIGKILL after the grace)
     */
    default boolean terminate(Duration grace, boolean suspended) {
        if (!alive()) {
            return true;
        }
        signal(ProcessGroups.Stop.TERM);
        if (suspended) {
            AttemptSuspension.proceed(this, 0);
        }
        if (awaitGone(grace)) {
            return true;
        }
        signal(ProcessGroups.Stop.KILL);
        return awaitGone(Duration.ofSeconds(10));
    }

    /** A job's processes: those of its cgroup, where it has one (null for none), else its wrapper's session. */
    static JobProcesses of(Path cgroup, Leader wrapper) {
        return cgroup == null ? new Session(wrapper) : new Cgroup(cgroup, wrapper);
    }

    /**
     * A leader process by pid and start time (clock ticks after boot, {@link ProcessGroups#startTicks}), so that a
     * later process given its pid is never taken for it.
     *
     * @param startTicks -1 when unknown: then no process now at the pid is taken for it
     */
    record Leader(long pid, long startTicks) {
        /** No leader to count or signal: a cgroup's processes alone. */
        static final Leader NONE = new Leader(0, -1);

        /** The process at the pid now; read as soon as it is started, before it can end and its pid be reused. */
        static Leader identify(long pid) {
            return new Leader(pid, ProcessGroups.startTicks(pid).orElse(-1));
        }

        /** Whether it still runs: its pid is held by the process that started then, and that is no zombie. */
        boolean running() {
            if (pid <= 0 || startTicks < 0) {
                return false;
            }
            String[] fields = ProcessGroups.statFields(Path.of("/proc", Long.toString(pid)), 21);
            return fields.length > 19 && Long.parseLong(fields[19]) == startTicks && !fields[0].equals("Z")
                    && !fields[0].equals("X");
        }

        /**
         * Whether its pid now belongs to a later process. Linux gives no new process a pid still in use as a group or
         * session id, so that group and session, which were the job's, are empty: what has that id now is another's.
         */
        boolean pidReused() {
            OptionalLong now = ProcessGroups.startTicks(pid);
            return pid > 0 && now.isPresent() && now.getAsLong() != startTicks;
        }

        /**
         * A handle on it while it runs. Taken before the check: the JDK compares the handle's start time again when it
         * signals, so a pid reused after the check is spared too.
         */
        Optional<ProcessHandle> handle() {
            return pid <= 0 ? Optional.empty() : ProcessHandle.of(pid).filter(h -> running());
        }
    }

    /**
     * The session and process group its leader opened with setsid, whose id is the leader's pid. Once seen empty it
     * stays gone: nothing joins an empty session, and its id may go to a later process's own.
     */
    final class Session implements JobProcesses {
        private final Leader leader;
        private volatile boolean gone;

        Session(Leader leader) {
            this.leader = leader;
        }

        long id() {
            return leader.pid();
        }

        @Override
        public void signal(ProcessGroups.Stop stop) {
            if (gone || leader.pidReused()) {
                return;
            }
            ProcessGroups.signal(leader.pid(), stop);
            if (stop == ProcessGroups.Stop.KILL) {
                // Just after its start the wrapper has not yet called setsid, and no group signal reaches it.
                leader.handle().ifPresent(ProcessHandle::destroyForcibly);
            }
        }

        @Override
        public boolean alive() {
            if (gone) {
                return false;
            }
            if (leader.running()) {
                return true;
            }
            if (leader.pidReused() || !ProcessGroups.alive(leader.pid())) {
                gone = true;
                return false;
            }
            return true;
        }

        @Override
        public List<Long> signalAllBut(long spared, List<String> killOptions) {
            if (gone || leader.pidReused()) {
                return List.of();
            }
            return ProcessGroups.signalSessionExcept(leader.pid(), spared, killOptions);
        }

        @Override
        public List<Long> pids() {
            return gone || leader.pidReused() ? List.of() : ProcessGroups.members(leader.pid());
        }

        /** The session keeps the leader's pid as its id; {@link Leader#pidReused} tells when it is no longer it. */
        @Override
        public JobProcesses leaderEnded() {
            return this;
        }

        @Override
        public String toString() {
            return "session " + leader.pid();
        }
    }

    /**
     * @param wrapper Cadre's process in it, spared SIGTERM; {@link Leader#NONE} for none. Until the wrapper has joined
     *     the cgroup (just after its start) the cgroup is empty, so the wrapper counts by itself while it runs: a kill
     *     then must not take the job for gone, nor miss the wrapper. Once it has ended, only the cgroup counts.
     */
    record Cgroup(Path dir, Leader wrapper) implements JobProcesses {
        /** The cgroup's processes alone. */
        Cgroup(Path dir) {
            this(dir, Leader.NONE);
        }

        @Override
        public void signal(ProcessGroups.Stop stop) {
            CgroupSignals.signal(dir, wrapper.pid(), stop);
            if (stop == ProcessGroups.Stop.KILL && wrapper.pid() > 0
                    && !AttemptCgroups.members(dir).contains(wrapper.pid())) {
                wrapper.handle().ifPresent(ProcessHandle::destroyForcibly);
            }
        }

        @Override
        public boolean alive() {
            return AttemptCgroups.populated(dir) || wrapper.running();
        }

        @Override
        public List<Long> signalAllBut(long spared, List<String> killOptions) {
            return CgroupSignals.signalAllBut(dir, spared, killOptions);
        }

        @Override
        public JobProcesses leaderEnded() {
            return new Cgroup(dir);
        }

        @Override
        public List<Long> pids() {
            return AttemptCgroups.members(dir);
        }

        @Override
        public boolean removeIfGone() {
            return AttemptCgroups.removeIfEmpty(dir);
        }

        /**
         * What its processes used, those that ended included ({@link AttemptUsage#fromCgroup}): cpu.stat, which every
         * cgroup2 cgroup has, memory.peak, which only one with the memory controller on a kernel of 5.19 or later
         * has, and io.stat, which only one with the io controller has; null when none can be read (the cgroup is
         * gone).
         */
        ResourceUsage usage() {
            return AttemptUsage.fromCgroup(readIfThere(dir.resolve("cpu.stat")),
                    readIfThere(dir.resolve("memory.peak")), readIfThere(dir.resolve("io.stat")));
        }

        /** The file's text, or null when it cannot be read: a counter the node goes without, not a failure. */
        private static String readIfThere(Path file) {
            try {
                return Files.readString(file, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return null;
            }
        }
    }
}
