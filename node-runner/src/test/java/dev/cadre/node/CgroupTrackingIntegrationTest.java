package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A job's processes that leave its session (setsid, setsid -f, a double-forking daemon) are still the job's where
 * the node tracks processes by cgroup: a cancel, a time limit and the job's own end kill them, and the attempt is
 * reported only once none is left, also by a restarted runner. Real processes in the machine's cgroup2 hierarchy,
 * however the wrapper starts.
 */
@ParameterizedClass(name = "{argumentSetName}")
@MethodSource("dev.cadre.node.NodeUnderTest#starters")
class CgroupTrackingIntegrationTest extends NodeTestCase {
    /** Three ways out of the job's session; each writes its pid, and the script waits for all three. */
    static final String ESCAPE = "setsid sleep 300 & echo $! > setsid.pid\n"
            + "setsid -f sh -c 'echo $$ > forked.pid; exec sleep 300'\n"
            + "( ( setsid sh -c 'echo $$ > daemon.pid; exec sleep 300' & ) & )\n"
            + "until [ -s forked.pid ] && [ -s daemon.pid ]; do sleep 0.01; done\n"
            + "touch started\n";

    @Parameter
    JobLauncher.Setup starter;
    private AttemptCgroups cgroups;

    /** The escaped processes the test saw, killed after it whatever happened. */
    private final List<Long> escaped = new ArrayList<>();
    /** The escaped processes still alive when the attempt's end was sent. */
    private final AtomicReference<List<Long>> aliveAtEnd = new AtomicReference<>();

    @BeforeEach
    void trackByCgroup() {
        cgroups = node.cgroups();
    }

    @AfterEach
    void killEscaped() {
        escaped.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    /** Reads the escaped pids once the job started them, and watches for the job's end. */
    private void awaitEscaped(long jobId) throws Exception {
        node.awaitFile("started");
        for (String name : List.of("setsid.pid", "forked.pid", "daemon.pid")) {
            escaped.add(Long.parseLong(Files.readString(work.resolve(name)).strip()));
        }
        escaped.forEach(pid -> assertFalse(gone(pid), "process " + pid + " of the job is running"));
        node.watcher = e -> {
            if (e instanceof RunnerEvent.RunnerFinished f && f.jobId() == jobId) {
                aliveAtEnd.set(escaped.stream().filter(pid -> !gone(pid)).toList());
            }
        };
    }

    /** Ended (no /proc entry) or a zombie waiting for init: nothing that runs. */
    static boolean gone(long pid) {
        String[] fields = ProcessGroups.statFields(Path.of("/proc", Long.toString(pid)), 2);
        return fields.length == 0 || fields[0].equals("Z");
    }

    private void assertNothingLeft(long jobId) {
        assertEquals(List.of(), aliveAtEnd.get(), "escaped processes alive when the end was reported");
        assertFalse(Files.exists(cgroups.attempt(jobId, 1)), "the attempt's cgroup is removed");
    }

    /**
     * Starts job {@code id}, whose script escapes its session ({@link #ESCAPE}) and then runs {@code rest}, under a
     * supervisor of this node's cgroups, and waits for what escaped.
     */
    private JobSupervisor startEscaping(long id, String rest, JobSpec.Builder spec) throws Exception {
        JobSupervisor s = node.supervisor(starter, cgroups);
        s.launch(node.place(id, ESCAPE + rest, spec));
        awaitEscaped(id);
        return s;
    }

    @Test
    void aCancelKillsWhatLeftTheSessionBeforeTheEndIsReported() throws Exception {
        JobSupervisor s = startEscaping(1, node.untilReleased(), node.spec());
        assertTrue(AttemptCgroups.members(cgroups.attempt(1, 1)).containsAll(escaped));
        s.kill(new NodeCommand.KillJob(1, 1, JobState.CANCELLED));
        assertEquals(JobState.CANCELLED, node.finished(1).killedFor());
        assertNothingLeft(1);
    }

    @Test
    void whatAJobLeftRunningIsKilledAtItsEnd() throws Exception {
        startEscaping(2, node.untilReleased() + "exit 0", node.spec());
        node.release();
        assertEquals(0, node.finished(2).exitCode());
        assertNothingLeft(2);
    }

    @Test
    void aTimeLimitKillsWhatLeftTheSession() throws Exception {
        startEscaping(3, "sleep 300", node.spec().timeLimitSeconds(2L));
        assertEquals(JobState.TIMEOUT, node.finished(3).killedFor());
        assertNothingLeft(3);
    }

    @Test
    void aRestartedRunnerAdoptsTheAttemptWithWhatLeftItsSession() throws Exception {
        startEscaping(4, node.untilReleased() + "exit 0", node.spec()).close(); // as a runner killed: the job runs on
        node.supervisor(starter, cgroups).adoptLeftovers(place -> { });
        node.release();
        assertEquals(0, node.finished(4).exitCode());
        assertNothingLeft(4);
    }

    @Test
    void whatAJobLeftWhileNoRunnerRanIsKilledByTheNextOne() throws Exception {
        startEscaping(5, node.untilReleased() + "exit 0", node.spec()).close();
        node.release();
        await("the script's end recorded with no runner", NodeUnderTest.WAIT,
                () -> Files.exists(state.resolve("jobs/5-1/status")));
        escaped.forEach(pid -> assertFalse(gone(pid), "process " + pid + " outlived the script"));
        node.supervisor(starter, cgroups).adoptLeftovers(place -> { });
        assertEquals(0, node.finished(5).exitCode());
        assertNothingLeft(5);
    }

    @Test
    void aCgroupTheWrapperCannotJoinFailsTheLaunchNamingItAndRunsNothing() throws Exception {
        // A directory that is no cgroup: the attempt's directory is made in it, but it has no cgroup.procs to write.
        Path notCgroups = Files.createDirectories(state.resolve("not-cgroups"));
        JobSupervisor s = node.supervisor(starter, node.tracked(new AttemptCgroups(notCgroups)));
        s.launch(node.place(6, "touch ran"));
        String error = node.failed(6).error();
        assertTrue(error.startsWith("cannot join the cgroup " + notCgroups.resolve("6-1")
                + ": No such file or directory (errno 2)"), error);
        assertFalse(Files.exists(work.resolve("ran")), "the script ran outside its cgroup");
        assertFalse(Files.exists(notCgroups.resolve("6-1/cgroup.procs")), "no file was made for the cgroup's");
    }

    @Test
    void aCgroupThatCannotBeMadeIsReportedAsTheNodesFaultNamingIt() throws Exception {
        Path missing = state.resolve("missing/node");
        JobSupervisor s = node.supervisor(starter, new AttemptCgroups(missing));
        s.launch(node.place(7, "touch ran"));
        RunnerEvent.RunnerFinished lost = node.finished(7);
        assertEquals(JobState.NODE_FAIL, lost.killedFor(), "a node failure, which requeues the job");
        assertTrue(lost.error().startsWith("cannot create the cgroup " + missing.resolve("7-1")), lost.error());
        assertFalse(Files.exists(work.resolve("ran")));
    }
}
