package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.RunnerEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * A node-runner that stops right after its launcher forked an attempt's wrapper, before the wrapper joined the
 * attempt's cgroup: the stop must leave that cgroup, empty as it is, so that the wrapper still joins it and runs the
 * job, whose exit code the next start reports. Removed, the wrapper failed its join and the job ended FAILED with no
 * exit code (LaunchFailed: cannot join the cgroup), never having run. Real processes in the machine's cgroup2
 * hierarchy.
 *
 * <p>The wrapper's lateness is made certain: the launcher runs under a real perl whose fork is overridden
 * (CORE::GLOBAL::fork) to hold each forked wrapper until a file exists, which the test makes after the stop.
 */
class StopBeforeCgroupJoinIntegrationTest extends NodeTestCase {

    /** A perl for the launcher whose forked children wait for {@code gate} before they run on. */
    private JobLauncher.Setup heldForks(Path gate) throws IOException {
        Path perl = work.resolve("perl-held");
        Files.writeString(perl, "#!/bin/sh\nexec perl -e 'BEGIN { *CORE::GLOBAL::fork = sub { my $p = CORE::fork();"
                + " if (defined $p && $p == 0) { select(undef, undef, undef, 0.05) until -e \"" + gate + "\" } $p } }'"
                + " -e \"$2\"\n");
        Files.setPosixFilePermissions(perl, PosixFilePermissions.fromString("rwx------"));
        return JobLauncher.Setup.perlOnly(perl.toString(), NodeUnderTest.WAIT);
    }

    private static boolean endOf(RunnerEvent e, long jobId) {
        if (e instanceof RunnerEvent.RunnerFinished finished) {
            return finished.jobId() == jobId;
        }
        return e instanceof RunnerEvent.RunnerFailed failed && failed.jobId() == jobId;
    }

    @Test
    void aWrapperThatJoinsItsCgroupOnlyAfterTheNodeStoppedStillRunsTheJob() throws Exception {
        AttemptCgroups cgroups = node.cgroups();
        Path gate = work.resolve("forks-go");
        JobSupervisor before = node.supervisor(heldForks(gate), cgroups);
        before.launch(node.place(61, "exit 6"));
        // The node-runner's stop (NodeRunner.stop): its supervisor, then the cgroups it leaves.
        before.close();
        cgroups.removeEmpty(before::leavesForNextStart, command -> false);
        Files.writeString(gate, "");
        long wrapper = node.wrapperPid(61);
        await("the wrapper to end", NodeUnderTest.WAIT, () -> ProcessHandle.of(wrapper).map(h -> !h.isAlive())
                .orElse(true));
        node.supervisor(JobLauncher.Setup.DEFAULT, cgroups).adoptLeftovers(place -> { });
        await("job 61's end", NodeUnderTest.WAIT, () -> node.events.stream().anyMatch(e -> endOf(e, 61)));
        RunnerEvent end = node.events.stream().filter(e -> endOf(e, 61)).findFirst().orElseThrow();
        RunnerEvent.RunnerFinished finished = assertInstanceOf(RunnerEvent.RunnerFinished.class, end,
                "the job ran: " + end);
        assertEquals(6, finished.exitCode(), "the job's own exit code");
    }

    /**
     * The failure the stop no longer causes, caused here by hand: a wrapper that finds its cgroup gone runs nothing,
     * and its attempt is reported runner-failed, which the node's log says too (job, attempt and why), as it says
     * every other failure of the node's: that reason was only in the job's reason text, on the head.
     */
    @Test
    void aWrapperThatCannotJoinItsCgroupIsReportedFailedAndLogged() throws Exception {
        AttemptCgroups cgroups = node.cgroups();
        Path gate = work.resolve("forks-go");
        JobSupervisor supervisor = node.supervisor(heldForks(gate), cgroups);
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunnerEvent end;
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            supervisor.launch(node.place(62, "exit 6"));
            assertTrue(AttemptCgroups.removeIfEmpty(cgroups.attempt(62, 1)), "the wrapper joined while held");
            Files.writeString(gate, "");
            await("job 62's end", NodeUnderTest.WAIT, () -> node.events.stream().anyMatch(e -> endOf(e, 62)));
            end = node.events.stream().filter(e -> endOf(e, 62)).findFirst().orElseThrow();
        } finally {
            System.setErr(err);
        }
        RunnerEvent.RunnerFailed failed = assertInstanceOf(RunnerEvent.RunnerFailed.class, end, "ran: " + end);
        assertTrue(failed.error().contains("cannot join the cgroup"), failed.error());
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.lines().anyMatch(l -> l.contains("WARN") && l.contains("job 62 attempt 1:")
                && l.contains(failed.error())), "not logged: " + failed.error() + "\nlog:\n" + logged);
    }
}
