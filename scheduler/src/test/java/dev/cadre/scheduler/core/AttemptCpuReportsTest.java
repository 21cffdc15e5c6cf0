package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CPU ids nodes say attempts hold reach the store once per attempt and node: from the coordinator's
 * runner-running, from the heartbeats of every node of the allocation (the only word the other nodes send, and how
 * a restarted runner tells what it adopted), again only when a node says otherwise, each attempt of a requeued job
 * with its own, and nothing for an attempt that is not the job's current one or a node outside its allocation.
 */
class AttemptCpuReportsTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    private Decisions running(long id, int attempt, String node, String cpus) {
        return s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerRunning(id, attempt, node, s.clock.instant(),
                cpus)));
    }

    private Decisions heartbeat(String node, long id, int attempt, String cpus) {
        return s.apply(s.core.onRunnerEvent(new RunnerEvent.NodeHeartbeat(node, node, List.of(), 4, 64_000, 0,
                List.of(new RunnerEvent.RunningAttempt(id, attempt)), s.clock.instant(),
                List.of(new RunnerEvent.HeldCpus(id, attempt, cpus)))));
    }

    private Decisions heartbeat(String node, long id, int attempt, String cpus, List<Integer> gpus) {
        return s.apply(s.core.onRunnerEvent(new RunnerEvent.NodeHeartbeat(node, node, List.of(), 4, 64_000, 0,
                List.of(new RunnerEvent.RunningAttempt(id, attempt)), s.clock.instant(),
                List.of(new RunnerEvent.HeldCpus(id, attempt, cpus, gpus)))));
    }

    @Test
    void theCoordinatorsStartAndTheOtherNodesHeartbeatsAreStoredOnceEach() {
        s.node("n1", 4);
        s.node("n2", 4);
        long id = s.submit(CoreScenario.spec().nodes(2).tasks(4).memoryMb(100L));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(id).state());

        assertEquals(List.of(new Decisions.CpusSaid(id, 1, "n1", 0, "n1", "0-1", 100)),
                running(id, 1, "n1", "1,0").cpusSaid(), "the node's list as a node-runner writes it");
        assertEquals(List.of(), running(id, 1, "n1", "0-1").cpusSaid(), "a repeat stores nothing");
        assertEquals(List.of(), heartbeat("n1", id, 1, "0-1").cpusSaid(), "nor does a heartbeat saying the same");
        assertEquals(List.of(new Decisions.CpusSaid(id, 1, "n2", 1, "n2", "2-3", 100)),
                heartbeat("n2", id, 1, "2-3").cpusSaid(), "the other node's share, second in the allocation");
        assertEquals(List.of(), heartbeat("n2", id, 1, "2-3").cpusSaid());
        assertEquals(List.of(new Decisions.CpusSaid(id, 1, "n2", 1, "n2", "", 100)),
                heartbeat("n2", id, 1, "").cpusSaid(), "a node that says otherwise (now unbound) is stored again");
    }

    @Test
    void theGpusANodeSaysAreStoredWithItsCpusAndAgainWhenOnlyTheyChange() {
        s.node("n1", 4);
        s.node("n2", 4);
        long id = s.submit(CoreScenario.spec().nodes(2).tasks(2));
        s.schedule();
        assertEquals(List.of(new Decisions.CpusSaid(id, 1, "n1", 0, "n1", "0", 0, List.of(1, 3))),
                s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerRunning(id, 1, "n1", s.clock.instant(), "0",
                        List.of(3, 1)))).cpusSaid(), "lowest first");
        assertEquals(List.of(), heartbeat("n1", id, 1, "0", List.of(1, 3)).cpusSaid(), "the same said again");
        assertEquals(List.of(new Decisions.CpusSaid(id, 1, "n1", 0, "n1", "0", 0, List.of(1))),
                heartbeat("n1", id, 1, "0", List.of(1)).cpusSaid(), "the same CPUs with other GPUs");
        assertEquals(List.of(new Decisions.CpusSaid(id, 1, "n2", 1, "n2", "0", 0, List.of())),
                heartbeat("n2", id, 1, "0", List.of()).cpusSaid(), "none there");
        assertEquals(List.of(), heartbeat("n2", id, 1, "0", List.of(0, 0)).cpusSaid(), "no node says a GPU twice");
        assertEquals(List.of(), heartbeat("n1", id, 1, "0").cpusSaid(), "saying nothing of GPUs keeps them");
        assertEquals(List.of(new Decisions.CpusSaid(id, 1, "n1", 0, "n1", "1", 0, List.of(1))),
                heartbeat("n1", id, 1, "1").cpusSaid(), "other CPUs, the GPUs kept");
    }

    @Test
    void anUnboundStartSaysNoneAndAnOldNodeSaysNothing() {
        s.node("n1", 4);
        long unbound = s.submit(CoreScenario.spec());
        long old = s.submit(CoreScenario.spec());
        s.schedule();
        assertEquals(List.of(new Decisions.CpusSaid(unbound, 1, "n1", 0, "n1", "", 0)),
                running(unbound, 1, "n1", "").cpusSaid());
        assertEquals(List.of(), running(old, 1, "n1", null).cpusSaid());
        assertEquals(List.of(), s.heartbeat("n1", 4, new RunnerEvent.RunningAttempt(old, 1)).cpusSaid());
    }

    @Test
    void onlyTheCurrentAttemptOnANodeOfItsAllocationIsStoredAndARequeuedJobsNextAttemptHasItsOwn() {
        s.node("n1", 4);
        s.node("n2", 4);
        long id = s.submit(CoreScenario.spec().nodelist(List.of("n1")).maxAttempts(3));
        s.schedule();
        assertEquals(List.of(), running(id, 1, "n2", "0").cpusSaid(), "n2 holds no part of it");
        assertEquals(List.of(), running(id, 2, "n1", "0").cpusSaid(), "no such attempt yet");
        assertEquals(1, running(id, 1, "n1", "0").cpusSaid().size());

        s.apply(s.core.control().requeue(new ControlRequest.RequeueJob(id, null, false)).decisions());
        s.killed(id, JobState.REQUEUED);
        s.schedule();
        assertEquals(2, s.job(id).attempt());
        assertEquals(List.of(), heartbeat("n1", id, 1, "0").cpusSaid(), "an attempt that ended");
        assertEquals(List.of(new Decisions.CpusSaid(id, 2, "n1", 0, "n1", "1", 0)),
                running(id, 2, "n1", "1").cpusSaid());
    }

    @Test
    void whatANodeNoLongerListsIsForgottenSoItsNextWordIsStoredAgain() {
        s.node("n1", 4);
        long id = s.submit(CoreScenario.spec());
        s.schedule();
        running(id, 1, "n1", "0");
        // A restarted head knows nothing of it either; the heartbeat that lists it again is stored.
        s.heartbeat("n1", 4);
        assertEquals(List.of(new Decisions.CpusSaid(id, 1, "n1", 0, "n1", "0", 0)),
                heartbeat("n1", id, 1, "0").cpusSaid());
    }
}
