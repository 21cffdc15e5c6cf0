package dev.cadre.node;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where the processes of an attempt, or of a remote command, are: the session and process group its leader opened
 * ({@link ProcessGroups}), or the cgroup its wrapper joined ({@link AttemptCgroups}), which a process that leaves
 * the session cannot leave. Kills, warnings and the check that nothing is left go by it.
 */
sealed interface JobProcesses {
    /** SIGTERM or SIGKILL to every process; Cadre's wrapper may be spared SIGTERM, which it does not die of. */
    void signal(ProcessGroups.Stop stop);

    boolean alive();

    /** A signal as kill(1) options to every process now but {@code spared}; returns those signalled. */
    List<Long> signalAllBut(long spared, List<String> killOptions);

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
        if (!alive()) {
            return true;
        }
        signal(ProcessGroups.Stop.TERM);
        if (awaitGone(grace)) {
            return true;
        }
        signal(ProcessGroups.Stop.KILL);
        return awaitGone(Duration.ofSeconds(10));
    }

    /** A job's processes: those of its cgroup, where it has one (null for none), else its wrapper's session. */
    static JobProcesses of(Path cgroup, long wrapper) {
        return cgroup == null ? new Session(wrapper) : new Cgroup(cgroup, wrapper);
    }

    /** @param id the leader's pid, which setsid made the session's and the group's id */
    record Session(long id) implements JobProcesses {
        @Override
        public void signal(ProcessGroups.Stop stop) {
            ProcessGroups.signal(id, stop);
        }

        @Override
        public boolean alive() {
            return ProcessGroups.alive(id);
        }

        @Override
        public List<Long> signalAllBut(long spared, List<String> killOptions) {
            return ProcessGroups.signalSessionExcept(id, spared, killOptions);
        }
    }

    /**
     * @param wrapper Cadre's process in it, spared SIGTERM; 0 for none. Until the wrapper has joined the cgroup (just
     *     after its start) the cgroup is empty, so the wrapper counts by itself: a kill then must not take the job for
     *     gone, nor miss the wrapper.
     */
    record Cgroup(Path dir, long wrapper) implements JobProcesses {
        @Override
        public void signal(ProcessGroups.Stop stop) {
            AttemptCgroups.signal(dir, wrapper, stop);
            if (stop == ProcessGroups.Stop.KILL && wrapper > 0 && !AttemptCgroups.members(dir).contains(wrapper)) {
                ProcessHandle.of(wrapper).ifPresent(ProcessHandle::destroyForcibly);
            }
        }

        @Override
        public boolean alive() {
            return AttemptCgroups.populated(dir) || wrapper > 0 && running(wrapper);
        }

        /** Alive and not a zombie: a wrapper whose launcher is gone may never be reaped where init does not reap. */
        private static boolean running(long pid) {
            String[] fields = ProcessGroups.statFields(Path.of("/proc", Long.toString(pid)), 2);
            return fields.length > 0 && !fields[0].equals("Z") && !fields[0].equals("X");
        }

        @Override
        public List<Long> signalAllBut(long spared, List<String> killOptions) {
            return AttemptCgroups.signalAllBut(dir, spared, killOptions);
        }

        @Override
        public boolean removeIfGone() {
            return AttemptCgroups.removeIfEmpty(dir);
        }
    }
}
