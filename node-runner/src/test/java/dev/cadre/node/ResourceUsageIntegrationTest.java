package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.ResourceUsage;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an attempt's processes used, on its runner-finished: real processes burning a known amount of CPU and touching
 * a known amount of memory, however the wrapper starts, tracked by session (the wrapper's getrusage) or by cgroup
 * (the cgroup's counters, the wrapper's standing in for those the cgroup lacks).
 */
@ParameterizedClass(name = "{argumentSetName}")
@MethodSource("dev.cadre.node.NodeUnderTest#starters")
class ResourceUsageIntegrationTest extends NodeTestCase {
    /** CPU time the burner uses, user and system together, as it measures it itself. */
    private static final long BURNT_MICROS = 500_000;
    private static final long TOUCHED_BYTES = 60L << 20;
    /**
     * Perl that fills a string of {@link #TOUCHED_BYTES} (every page of it written, so resident) and then spins until
     * its own CPU time reaches {@link #BURNT_MICROS}: CPU, not wall time, so a loaded machine only makes it slower.
     */
    private static final String BURN = "perl -e 'my $x = \"a\" x " + TOUCHED_BYTES + "; my $t = 0;"
            + " until ($t >= " + BURNT_MICROS / 1e6 + ") { for (1 .. 100000) { } my @c = times; $t = $c[0] + $c[1] }'";

    @Parameter
    JobLauncher.Setup starter;

    /**
     * Plausible for what {@link #BURN} did: at least most of its CPU (the kernel's accounting and the clock ticks of
     * perl's own measure differ a little) and, where it asks, of its memory; and not a thousand times that, as a
     * figure in the wrong unit would be.
     */
    private static void assertBurnt(ResourceUsage usage, boolean memoryToo) {
        assertNotNull(usage, "no usage reported");
        Long cpu = usage.totalCpuMicros();
        assertNotNull(cpu, "no CPU time in " + usage);
        assertTrue(cpu >= BURNT_MICROS * 8 / 10 && cpu < BURNT_MICROS * 100, "CPU time in " + usage);
        if (memoryToo) {
            // Every wrapper of these machines reads it (getrusage(2) is known on x86_64, aarch64 and riscv64).
            Long rss = usage.maxRssBytes();
            assertNotNull(rss, "no peak memory in " + usage);
            assertTrue(rss >= TOUCHED_BYTES * 9 / 10 && rss < TOUCHED_BYTES * 100, "peak memory in " + usage);
        }
    }

    @Test
    void aJobsEndReportsTheCpuAndMemoryItsProcessesUsed() throws Exception {
        node.supervisor(starter).launch(node.place(1, BURN + "\nexit 3"));
        RunnerEvent.RunnerFinished f = node.finished(1);
        assertEquals(3, f.exitCode());
        assertBurnt(f.usage(), true);
    }

    @Test
    void aCancelledJobReportsWhatItUsedUntilItsEnd() throws Exception {
        JobSupervisor s = node.supervisor(starter);
        s.launch(node.place(2, BURN + "\ntouch burnt\n" + node.untilReleased()));
        node.awaitFile("burnt");
        s.kill(new NodeCommand.KillJob(2, 1, JobState.CANCELLED));
        RunnerEvent.RunnerFinished f = node.finished(2);
        assertEquals(JobState.CANCELLED, f.killedFor());
        assertBurnt(f.usage(), true);
    }

    @Test
    void anEndReportedAgainOrByARestartedRunnerKeepsItsUsage() throws Exception {
        // Ended while no runner ran: the next one reports it from the wrapper's status file.
        JobSupervisor first = node.supervisor(starter);
        first.launch(node.place(3, BURN + "\ntouch burnt\n" + node.untilReleased()));
        node.awaitFile("burnt");
        first.close(); // as a runner killed: the job runs on
        node.release();
        await("the script's end recorded with no runner", NodeUnderTest.WAIT,
                () -> Files.exists(state.resolve("jobs/3-1/status")));
        JobSupervisor restarted = node.supervisor(starter);
        restarted.adoptLeftovers(place -> { });
        RunnerEvent.RunnerFinished adopted = node.finished(3);
        assertBurnt(adopted.usage(), true);
        // Sent, then recorded and forgotten: a repeat between the two is ignored as a copy of a running attempt, so
        // the test repeats only once the end is recorded.
        await("the adopted attempt to be forgotten", NodeUnderTest.WAIT,
                () -> !restarted.runs(3, 1) && !Files.exists(state.resolve("jobs/3-1")));
        // A place-job repeated after the end is answered with the outcome recorded, usage and all.
        restarted.launch(node.place(3, BURN));
        await("the end reported again", NodeUnderTest.WAIT, () -> finishedOf(3).size() == 2);
        assertEquals(adopted.usage(), finishedOf(3).get(1).usage());
    }

    @Test
    void aRestartedRunnerReportsTheRemoteCommandsUsageTheEarlierOneCounted() throws Exception {
        JobSupervisor first = node.supervisor(starter);
        first.launch(node.place(6, "touch started\n" + node.untilReleased()));
        node.awaitFile("started");
        // What the earlier runner's relay counted of the job's remote commands, as it keeps it beside the attempt.
        ResourceUsage remote = new ResourceUsage(3_000_000L, 1_000_000L, TOUCHED_BYTES * 20);
        assertTrue(new RemoteCommandUsage(state.resolve("jobs/6-1"), false).add(remote));
        first.close(); // as a runner killed: the job runs on
        JobSupervisor restarted = node.supervisor(starter);
        restarted.adoptLeftovers(place -> { });
        node.release();
        ResourceUsage usage = node.finished(6).usage();
        assertNotNull(usage, "no usage reported");
        // The script's own is small beside the remote commands', and its peak far below theirs.
        assertTrue(usage.totalCpuMicros() >= 4_000_000L && usage.totalCpuMicros() < 4_000_000L + BURNT_MICROS,
                String.valueOf(usage));
        assertEquals(remote.maxRssBytes(), usage.maxRssBytes());
    }

    private List<RunnerEvent.RunnerFinished> finishedOf(long jobId) {
        return node.events.stream().filter(e -> e instanceof RunnerEvent.RunnerFinished f && f.jobId() == jobId)
                .map(RunnerEvent.RunnerFinished.class::cast).toList();
    }

    @Test
    void withACgroupTheUsageIsTheCgroupsWithTheWrappersPeakWhereTheCgroupHasNone() throws Exception {
        node.supervisor(starter, node.cgroups()).launch(node.place(4, BURN + "\nexit 0"));
        assertBurnt(node.finished(4).usage(), true);
    }

    @Test
    void withACgroupTheUsageCountsWhatStillRanWhenTheScriptEnded() throws Exception {
        // The burner leaves the job's session and outlives the script, which no wrapper reaps: only the cgroup counts
        // it, once the node has killed it at the job's end.
        String burner = "setsid -f sh -c '" + BURN.replace("'", "'\\''") + "; touch burnt; exec sleep 300'";
        node.supervisor(starter, node.cgroups()).launch(node.place(5, burner
                + "\nuntil [ -f burnt ]; do sleep 0.05; done\nexit 0"));
        RunnerEvent.RunnerFinished f = node.finished(5);
        assertEquals(0, f.exitCode());
        assertBurnt(f.usage(), false);
    }
}
