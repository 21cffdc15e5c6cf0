package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cadre.node.core.CpuChoice;
import dev.cadre.node.core.CpuList;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jobs bound to the CPUs they were given ({@code --cpu-binding cores}), on this machine's real CPUs, whichever way
 * their wrapper starts: each script sees as many CPUs as its slot has ({@code nproc}, and its
 * {@code Cpus_allowed_list}), two jobs running at once see different ones, and a restarted node-runner knows which
 * CPUs the jobs it adopts hold. The head is told: at each start, and in the heartbeats of the runner that adopted a
 * job, or holds an attempt for its remote commands. A node that declares more cores than it may run on, or binding
 * off, binds nothing, and says so. Needs a node-runner that may run on two CPUs at least.
 */
class CpuBindingIntegrationTest extends NodeTestCase {
    private SortedSet<Integer> machine;

    @BeforeEach
    void twoCpusAtLeast() {
        machine = BoundCpus.cpusOf("self").orElseThrow();
        assumeTrue(machine.size() >= 2, "the test JVM may run on " + machine + " alone");
    }

    /** A job with {@code cpus} CPUs on the node, which writes what it sees, then waits for its release. */
    private NodeCommand.PlaceJob seeing(long id, int cpus) {
        String seen = "nproc-" + id;
        NodeCommand.PlaceJob p = node.place(id, "nproc > " + seen + ".tmp; grep Cpus_allowed_list /proc/self/status"
                + " | cut -f2 >> " + seen + ".tmp; mv " + seen + ".tmp " + seen + "\n" + node.untilReleased());
        return new NodeCommand.PlaceJob(id, 1, p.spec(), new Allocation(List.of(new Allocation.NodeSlots("n1", "host1",
                1, cpus, 0, 0))), "tok");
    }

    /** What job {@code id} saw: nproc's count, then its Cpus_allowed_list. */
    private List<String> seen(long id) throws Exception {
        node.awaitFile("nproc-" + id);
        return Files.readAllLines(work.resolve("nproc-" + id));
    }

    /** A node that declares two cores, of the CPUs this test may run on. */
    private static BoundCpus twoCores() {
        return BoundCpus.choose(CpuChoice.Mode.CORES, 2, "n1");
    }

    @ParameterizedTest
    @MethodSource("dev.cadre.node.NodeUnderTest#starters")
    void twoOneCpuJobsSeeOneCpuEachAndDifferentOnesAndATwoCpuJobSeesTwo(JobLauncher.Setup setup) throws Exception {
        JobSupervisor s = node.supervisor(setup, null, twoCores());
        s.launch(seeing(1, 1));
        s.launch(seeing(2, 1));
        List<String> first = seen(1);
        List<String> second = seen(2);
        assertEquals("1", first.get(0), "job 1 saw " + first);
        assertEquals("1", second.get(0), "job 2 saw " + second);
        assertEquals(CpuList.format(machine.headSet(machine.first() + 1)), first.get(1), "the lowest CPU first");
        assertNotEquals(first.get(1), second.get(1));
        node.release();
        assertEquals(0, node.finished(1).exitCode());
        assertEquals(0, node.finished(2).exitCode());
        Files.delete(work.resolve("go"));
        s.launch(seeing(3, 2));
        assertEquals("2", seen(3).get(0), "job 3 saw " + seen(3));
        node.release();
        assertEquals(0, node.finished(3).exitCode());
    }

    @ParameterizedTest
    @MethodSource("dev.cadre.node.NodeUnderTest#starters")
    void aRestartedRunnerGivesTheNextJobTheCpuTheAdoptedJobDoesNotHold(JobLauncher.Setup setup) throws Exception {
        JobSupervisor first = node.supervisor(setup, null, twoCores());
        first.launch(seeing(4, 1));
        String held = seen(4).get(1);
        assertEquals(held, started(4).cpus(), "the start tells the head what the job sees");
        // The runner dies: its jobs run on, and the next one adopts them.
        first.close();
        JobSupervisor restarted = node.supervisor(setup, null, twoCores());
        restarted.adoptLeftovers(adopted -> { });
        ListedAttempts.Listed listed = new ListedAttempts(restarted::running, List::of, restarted.shares())
                .now();
        assertEquals(List.of(new RunnerEvent.RunningAttempt(4, 1)), listed.running());
        assertEquals(List.of(new RunnerEvent.HeldCpus(4, 1, held)), listed.cpus(),
                "the next heartbeat says again what was read back from the job's wrapper");
        restarted.launch(seeing(5, 1));
        assertEquals("1", seen(5).get(0));
        assertNotEquals(held, seen(5).get(1), "job 5 was given the CPU job 4 holds");
        node.release();
        assertEquals(0, node.finished(4).exitCode());
        assertEquals(0, node.finished(5).exitCode());
    }

    /** The runner-running job {@code id} was reported with. */
    private RunnerEvent.RunnerRunning started(long id) {
        return node.events.stream().filter(e -> e instanceof RunnerEvent.RunnerRunning r && r.jobId() == id)
                .map(RunnerEvent.RunnerRunning.class::cast).findFirst().orElseThrow();
    }

    /**
     * An attempt held here for another node's job has the CPUs chosen for its remote commands as it was taken; one
     * whose commands are only being killed (no longer held) is listed with none said; a node that binds nothing says
     * none for each.
     */
    @Test
    void aHeldAttemptsCpusAreSaidAndOneOnlyBeingKilledIsNot() {
        AttemptShares cpus = new AttemptShares(twoCores(), Map.of());
        NodeCommand.PlaceJob p = node.place(9, "true\n");
        SortedSet<Integer> chosen = cpus.hold(new NodeCommand.PlaceJob(9, 1, p.spec(), new Allocation(List.of(
                new Allocation.NodeSlots("n0", "host0", 1, 1, 0, 0), new Allocation.NodeSlots("n1", "host1", 1, 1, 0,
                0))), "tok")).cpus();
        assertEquals(1, chosen.size());
        List<RunnerEvent.RunningAttempt> elsewhere = List.of(new RunnerEvent.RunningAttempt(9, 1),
                new RunnerEvent.RunningAttempt(10, 1));
        ListedAttempts.Listed listed = new ListedAttempts(List::of, () -> elsewhere, cpus).now();
        assertEquals(elsewhere, listed.running());
        assertEquals(List.of(new RunnerEvent.HeldCpus(9, 1, CpuList.format(chosen))), listed.cpus());
        assertEquals(List.of(new RunnerEvent.HeldCpus(9, 1, ""), new RunnerEvent.HeldCpus(10, 1, "")),
                new ListedAttempts(List::of, () -> elsewhere, new AttemptShares(BoundCpus.NONE, Map.of())).now()
                        .cpus());
    }

    /**
     * Attempts the runner created and never started are started by the next one only once it has adopted the running
     * ones: started first, one would take the CPU a running job holds. Several, so that one of them is listed before
     * the running job's directory whatever the file system's order; one gets the free CPU, the others run unbound.
     */
    @Test
    void attemptsNeverStartedStartOnlyOnceTheRunningOnesAreAdopted() throws Exception {
        JobSupervisor first = node.supervisor(JobLauncher.Setup.DEFAULT, null, twoCores());
        first.launch(seeing(4, 1));
        List<String> running = seen(4);
        first.close();
        for (long id = 5; id <= 8; id++) {
            AttemptDirectory.create(state.resolve("jobs"), seeing(id, 1)).orElseThrow();
        }
        JobSupervisor restarted = node.supervisor(JobLauncher.Setup.DEFAULT, null, twoCores());
        restarted.adoptLeftovers(adopted -> { });
        for (long id = 5; id <= 8; id++) {
            assertNotEquals(running, seen(id), "job " + id + " was given the CPU job 4 holds");
        }
        node.release();
        for (long id = 4; id <= 8; id++) {
            assertEquals(0, node.finished(id).exitCode());
        }
    }

    @Test
    void aNodeDeclaringMoreCoresThanItsCpusOrWithBindingOffBindsNothing() throws Exception {
        String all = Integer.toString(machine.size());
        JobSupervisor more = node.supervisor(JobLauncher.Setup.DEFAULT, null,
                BoundCpus.choose(CpuChoice.Mode.CORES, machine.size() + 30, "n1"));
        more.launch(seeing(6, 1));
        assertEquals(List.of(all, CpuList.format(machine)), seen(6));
        JobSupervisor off = node.supervisor(JobLauncher.Setup.DEFAULT, null,
                BoundCpus.choose(CpuChoice.Mode.NONE, 2, "n1"));
        off.launch(seeing(7, 1));
        assertEquals(List.of(all, CpuList.format(machine)), seen(7));
        assertEquals("", started(6).cpus(), "the start says it runs unbound");
        assertEquals("", started(7).cpus());
        node.release();
        assertEquals(0, node.finished(6).exitCode());
        assertEquals(0, node.finished(7).exitCode());
    }
}
