package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a job suspended with scontrol suspend holds, as Slurm's select/cons_tres job_suspend (indf_susp) and
 * job_resume decide it: its cores go to other jobs, its memory and GPUs stay its own, and its resume takes its cores
 * back whoever holds them. Placement, EASY's reservation and squeue --start's forecast, on a fake clock.
 */
class SuspendedResourcesTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);

    /** A node of 8 cores, 64,000 MB and 2 GPUs. */
    private void gpuNode(String id) {
        s.apply(s.core.onRunnerEvent(new RunnerEvent.NodeHeartbeat(id, id, List.of(), 8, 64_000, 2, List.of(),
                s.clock.instant())));
    }

    /** Submits, starts and confirms a job, which must start at once. */
    private long started(dev.cadre.protocol.JobSpec.Builder spec) {
        long id = s.submit(spec);
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(id).state(), "it starts at once");
        s.confirm(id);
        return id;
    }

    private String forecast() {
        Instant now = s.clock.instant();
        return s.core.forecast().stream().map(f -> f.jobId() + "@+" + Duration.between(now, f.at()).toSeconds())
                .collect(Collectors.joining(" "));
    }

    @Test
    void aPendingJobStartsOnASuspendedJobsCoresButNotInItsMemoryNorOnItsGpus() {
        gpuNode("n1");
        long suspended = started(CoreScenario.spec().tasks(2).cpusPerTask(4).gpusPerTask(1).memoryMb(40_000L));
        s.suspend(suspended);
        long onItsCores = s.submit(CoreScenario.spec().tasks(6).memoryMb(20_000L));
        long wantsItsMemory = s.submit(CoreScenario.spec().tasks(1).memoryMb(10_000L));
        long wantsAGpu = s.submit(CoreScenario.spec().tasks(1).gpusPerTask(1).memoryMb(1_000L));
        long small = s.submit(CoreScenario.spec().tasks(1).memoryMb(1_000L));

        s.schedule();

        assertEquals(JobState.RUNNING, s.job(onItsCores).state(), "its 8 cores are free while it is suspended");
        assertEquals(JobState.PENDING, s.job(wantsItsMemory).state(), "4,000 MB left: its 40,000 MB stay taken");
        assertEquals(JobState.PENDING, s.job(wantsAGpu).state(), "both GPUs stay its own, as Slurm keeps GRES");
        assertEquals(JobState.RUNNING, s.job(small).state(), "a core and the memory left are free");
        assertEquals(JobState.SUSPENDED, s.job(suspended).state());
    }

    @Test
    void aResumeTakesItsCoresBackFromTheJobsStartedOnThemWhichShareThemUntilTheyEnd() {
        s.node("n1", 4);
        long first = started(CoreScenario.spec().tasks(4).timeLimitSeconds(600L));
        s.clock.advance(Duration.ofSeconds(100));
        s.suspend(first);
        s.clock.advance(Duration.ofSeconds(100));
        long second = started(CoreScenario.spec().tasks(4).timeLimitSeconds(600L));
        s.clock.advance(Duration.ofSeconds(200));

        var resumed = s.resume(first);

        assertTrue(resumed.result().ok(), "never refused for cores others hold: " + resumed.result());
        assertEquals(JobState.RUNNING, s.job(first).state());
        assertEquals(List.of(new NodeCommand.ResumeAttempt(first, s.job(first).attempt(), 600L + 300)),
                resumed.decisions().messages().stream().map(m -> (Object) m.message()).toList());
        long small = s.submit(CoreScenario.spec().tasks(1).timeLimitSeconds(60L));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(small).state(), "the node's 4 cores are held twice over");
        assertEquals(small + "@+500", forecast(), "the second ends at +400, the first (300 s suspended) at +500");

        s.clock.advance(Duration.ofSeconds(50));
        s.finish(second, 0);
        s.schedule();
        assertEquals(JobState.PENDING, s.job(small).state(), "the first holds all 4 again");
        s.finish(first, 0);
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(small).state());
    }

    @Test
    void aNodeHeldTwiceOverHidesNoOtherNodesFreeCores() {
        s.node("n1", 4);
        s.node("n2", 4);
        long first = started(CoreScenario.spec().tasks(4));
        s.suspend(first);
        long second = started(CoreScenario.spec().tasks(4));
        assertEquals(s.job(first).allocation().nodes(), s.job(second).allocation().nodes(), "both on n1");
        s.resume(first);

        long third = s.submit(CoreScenario.spec().tasks(4));
        s.schedule();

        assertEquals(JobState.RUNNING, s.job(third).state(), "n2's 4 cores count whatever n1 owes");
        assertEquals("n2", s.job(third).allocation().coordinator().nodeId());
    }

    @Test
    void squeueStartCountsASuspendedJobsCoresFreeAndItsMemoryTakenWithoutEnd() {
        gpuNode("n1");
        started(CoreScenario.spec().tasks(4).timeLimitSeconds(960L));
        long suspended = started(CoreScenario.spec().tasks(4).timeLimitSeconds(2000L).memoryMb(40_000L));
        s.suspend(suspended);
        s.clock.advance(Duration.ofSeconds(120));
        long wide = s.submit(CoreScenario.spec().tasks(8).timeLimitSeconds(600L));
        long wantsItsMemory = s.submit(CoreScenario.spec().tasks(1).memoryMb(30_000L));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(wide).state());

        assertEquals(wide + "@+840", forecast(), "at the running job's limit, not the suspended one's, whose end "
                + "nobody knows; " + wantsItsMemory + ", needing its memory, has no expected start");
    }

    @Test
    void easyReservesTheFirstJobWithTheSuspendedJobsCoresCountedFree() {
        s.node("n1", 8);
        started(CoreScenario.spec().tasks(4).timeLimitSeconds(1000L));
        long suspended = started(CoreScenario.spec().tasks(4).timeLimitSeconds(3000L));
        s.suspend(suspended);
        s.clock.advance(Duration.ofSeconds(100));
        long wide = s.submit(CoreScenario.spec().tasks(8).timeLimitSeconds(600L));
        long pastTheReservation = s.submit(CoreScenario.spec().tasks(4).timeLimitSeconds(2000L));
        long beforeIt = s.submit(CoreScenario.spec().tasks(4).timeLimitSeconds(800L));

        s.schedule();

        assertEquals(JobState.PENDING, s.job(wide).state(), "reserved at +900, when the running job ends");
        assertEquals(JobState.PENDING, s.job(pastTheReservation).state(), "it would delay the reserved start");
        assertEquals(JobState.RUNNING, s.job(beforeIt).state(), "the suspended job's cores, given back by +800");
    }
}
