package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wrapper the job launcher forked just before its node-runner stopped, and which reaches its claim only after
 * the restarted runner found the attempt unclaimed and started it anew in a directory of the same name: the late
 * wrapper must back off, so that the job runs once and its outcome is the one the runner reports.
 *
 * <p>The lateness is made certain, not hoped for: each launcher runs under a real perl whose fork is overridden
 * (CORE::GLOBAL::fork) to hold the forked wrapper for a while before it goes on. The old launcher's wrapper
 * wakes first, while the new one still sleeps; had it claimed the new directory it would run the job and the
 * new wrapper would end with 125.
 */
class LateClaimIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path state;
    @TempDir
    Path work;
    @TempDir
    Path tools;
    private final List<RunnerEvent> events = new CopyOnWriteArrayList<>();
    private final List<JobSupervisor> supervisors = new ArrayList<>();

    @AfterEach
    void tearDown() throws IOException {
        Files.writeString(work.resolve("go"), ""); // nothing a failed test left waiting outlives it
        supervisors.forEach(JobSupervisor::close);
    }

    /** A perl for the launcher whose forked children wait the given seconds before they run on. */
    private JobLauncher.Setup slowForks(String name, double seconds) throws IOException {
        Path perl = tools.resolve(name);
        Files.writeString(perl, "#!/bin/sh\nexec perl -e 'BEGIN { *CORE::GLOBAL::fork = sub { my $p = CORE::fork();"
                + " select(undef, undef, undef, " + seconds + ") if defined $p && $p == 0; $p } }'"
                + " -e \"$2\"\n");
        Files.setPosixFilePermissions(perl, PosixFilePermissions.fromString("rwx------"));
        return JobLauncher.Setup.perlOnly(perl.toString(), WAIT);
    }

    private JobSupervisor supervisor(JobLauncher.Setup setup) throws IOException {
        JobSupervisor s = new JobSupervisor(state, state.resolve("jobs"), "n1", Duration.ofSeconds(2), "test",
                events::add, Clock.systemUTC(), null, null, setup);
        supervisors.add(s);
        return s;
    }

    @Test
    void aWrapperLateToItsClaimBacksOffWhenTheRestartedRunnerHasStartedTheAttemptAnew() throws Exception {
        Path count = work.resolve("count");
        Path go = work.resolve("go");
        JobSpec spec = JobSpec.builder().name("late").user("alice").workDir(work.toString()).submitHost("h")
                .script("#!/bin/bash\necho ran >> " + count + "\n"
                        + "for i in $(seq 400); do [ -f " + go + " ] && break; sleep 0.05; done\nexit 3\n").build();
        NodeCommand.PlaceJob place = new NodeCommand.PlaceJob(45, 1, spec,
                new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0, 0))), "tok");
        JobSupervisor before = supervisor(slowForks("perl-late", 1.0));
        before.launch(place);
        long old = before.launcherPid().orElseThrow(() -> new AssertionError("no job launcher runs"));
        before.close();
        JobSupervisor after = supervisor(slowForks("perl-later", 2.0));
        after.adoptLeftovers(adopted -> { });
        long current = after.launcherPid().orElseThrow(() -> new AssertionError("no job launcher runs"));
        Path claim = state.resolve("jobs/45-1/claim");
        await("the attempt to be claimed", WAIT, () -> Files.exists(claim));
        long claimant = Long.parseLong(Files.readString(claim).trim());
        assertEquals(Optional.of(current), ProcessHandle.of(claimant).flatMap(ProcessHandle::parent)
                .map(ProcessHandle::pid), "the wrapper of the restarted runner's launcher runs the job");
        await("the old launcher to exit", WAIT, () -> ProcessHandle.of(old).map(h -> !h.isAlive()).orElse(true));
        Files.writeString(go, "");
        await("job 45 to end", WAIT, () -> events.stream().anyMatch(e -> e instanceof RunnerEvent.RunnerFinished));
        List<RunnerEvent> ends = events.stream().filter(e -> e instanceof RunnerEvent.RunnerFinished
                || e instanceof RunnerEvent.RunnerFailed).toList();
        assertEquals(1, ends.size(), ends.toString());
        assertEquals(3, ((RunnerEvent.RunnerFinished) ends.get(0)).exitCode(), "the job's own exit code");
        assertEquals("ran\n", Files.readString(count), "the job ran once");
    }
}
