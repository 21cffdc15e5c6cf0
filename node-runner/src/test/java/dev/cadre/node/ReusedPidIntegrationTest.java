package dev.cadre.node;

import static dev.cadre.node.CgroupTrackingIntegrationTest.gone;
import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Once a job's wrapper has ended, its pid may go to any later process; the node-runner, as root, must never count
 * or kill that process as the job's. The later process here is given the wrapper's very pid through
 * /proc/sys/kernel/ns_last_pid, while what the job left in its cgroup ignores SIGTERM, so that the end waits the
 * whole grace period and then sends SIGKILL.
 */
class ReusedPidIntegrationTest extends NodeTestCase {
    /** Leaves a process in the job's cgroup, out of its session, that only SIGKILL ends. */
    private static final String LEAVE_STUBBORN = "setsid -f sh -c 'trap \"\" TERM; echo $$ > left.pid;"
            + " exec sleep 300' > /dev/null 2>&1\nuntil [ -s left.pid ]; do sleep 0.01; done\n";
    private final List<Process> started = new ArrayList<>();
    private final List<Long> left = new ArrayList<>();

    @AfterEach
    void killStarted() {
        started.forEach(Process::destroyForcibly);
        left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    /** A process unrelated to any job that is given {@code pid}, as the kernel hands a freed pid out again. */
    private Process takePid(long pid) throws Exception {
        for (int tries = 0; tries < 200; tries++) {
            Files.writeString(Path.of("/proc/sys/kernel/ns_last_pid"), Long.toString(pid - 1));
            Process p = new ProcessBuilder("sleep", "60").start();
            started.add(p);
            if (p.pid() == pid) {
                return p;
            }
            p.destroyForcibly().waitFor(); // another process of the machine took it first
        }
        return fail("could not start a process with pid " + pid);
    }

    private long awaitLeft() throws Exception {
        long pid = node.awaitPid("left.pid");
        left.add(pid);
        return pid;
    }

    @Test
    void aProcessGivenTheEndedWrappersPidIsNeitherWaitedForNorKilled() throws Exception {
        AttemptCgroups cgroups = node.cgroups();
        node.supervisor(JobLauncher.Setup.DEFAULT, cgroups).launch(node.place(1, LEAVE_STUBBORN + "exit 0"));
        long wrapper = node.wrapperPid(1);
        long stubborn = awaitLeft();
        await("the wrapper's end", NodeUnderTest.WAIT, () -> !Files.exists(Path.of("/proc/" + wrapper)));
        Process later = takePid(wrapper);
        assertEquals(0, node.finished(1).exitCode());
        assertFalse(later.waitFor(200, TimeUnit.MILLISECONDS), "the process given the wrapper's pid was killed with the job's leftovers");
        assertTrue(gone(stubborn), "what the job left is killed");
        assertFalse(Files.exists(cgroups.attempt(1, 1)));
    }

    @Test
    void aRestartedRunnerSparesAProcessGivenThePidOfAWrapperThatEndedMeanwhile() throws Exception {
        AttemptCgroups cgroups = node.cgroups();
        JobSupervisor first = node.supervisor(JobLauncher.Setup.DEFAULT, cgroups);
        first.launch(node.place(2, LEAVE_STUBBORN + node.untilReleased() + "exit 0"));
        long wrapper = node.wrapperPid(2);
        long stubborn = awaitLeft();
        first.close(); // as a runner killed: the launcher reaps the wrapper, and nobody watches the job
        node.release();
        await("the wrapper's end", NodeUnderTest.WAIT, () -> !Files.exists(Path.of("/proc/" + wrapper)));
        Process later = takePid(wrapper);
        node.supervisor(JobLauncher.Setup.DEFAULT, cgroups).adoptLeftovers(place -> { });
        assertEquals(0, node.finished(2).exitCode());
        assertFalse(later.waitFor(200, TimeUnit.MILLISECONDS), "the process given the wrapper's pid was killed as the job's");
        assertTrue(gone(stubborn), "what the job left is killed");
    }

    @Test
    void aSessionWhoseLeadersPidWentToALaterProcessIsGone() throws Exception {
        // The later process leads a session of its own with the old leader's id, as any setsid makes.
        Process later = new ProcessBuilder("setsid", "sleep", "60").start();
        started.add(later);
        long ticks = ProcessGroups.startTicks(later.pid()).orElseThrow();
        JobProcesses session = new JobProcesses.Session(new JobProcesses.Leader(later.pid(), ticks - 1));
        assertFalse(session.alive());
        assertTrue(session.terminate(Duration.ofMillis(100)));
        session.signal(ProcessGroups.Stop.KILL);
        // Java learns of a child's end from its reaper thread, a moment after the kernel: so wait, bounded.
        assertFalse(later.waitFor(200, TimeUnit.MILLISECONDS), "the later process's session was killed as the job's");
        // The leader itself, with the start time it has, is still counted and stopped.
        JobProcesses same = new JobProcesses.Session(new JobProcesses.Leader(later.pid(), ticks));
        assertTrue(same.alive());
        assertTrue(same.terminate(Duration.ofSeconds(5)));
        assertTrue(later.waitFor(5, TimeUnit.SECONDS), "the leader, stopped as the job's, is still alive");
    }
}
