package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.Partition;
import dev.cadre.protocol.PartitionRefusal;
import dev.cadre.protocol.PartitionRequest;
import dev.cadre.protocol.RejectionCode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Partitions in the core, as slurmctld keeps them: a job runs only on its partition's nodes, an unknown partition
 * or one taking no jobs is refused at submission, a DOWN partition keeps its jobs waiting (PartitionDown), a limit
 * over MaxTime waits (PartitionTimeLimit), a job without one gets DefaultTime, else MaxTime; every policy alike.
 */
class PartitionTest {
    static ClientReply.PartitionResult create(CoreScenario s, String name, String nodes, Boolean isDefault,
            Long maxTime, Long defaultTime, String state) {
        return carryOut(s, new PartitionRequest.CreatePartition(name, nodes, isDefault, maxTime, defaultTime, state,
                "root", true));
    }

    static ClientReply.PartitionResult carryOut(CoreScenario s, PartitionRequest request) {
        Partitions.Outcome o = s.core.judge(request);
        s.core.partitions().apply(o);
        return o.reply();
    }

    static ClientReply.PartitionResult state(CoreScenario s, String name, String state) {
        return carryOut(s, new PartitionRequest.UpdatePartition(name, null, null, null, null, state, "root", true));
    }

    /** As the head admits a submission: refused, or stored with its partition and limit. */
    static long submit(CoreScenario s, JobSpec.Builder b) {
        JobSpec spec = b.build();
        s.core.refusal(spec).ifPresent(r -> {
            throw new IllegalArgumentException(r.code().wireName() + ": " + r.problem());
        });
        JobSpec admitted = s.core.admissionSpec(spec);
        return s.submit(admitted.toBuilder());
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aJobRunsOnlyOnTheNodesOfItsPartition(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        s.node("n2", 4);
        assertTrue(create(s, "gpu", "n2", null, null, null, null).ok());
        long first = submit(s, CoreScenario.spec().partition("gpu").tasks(4));
        long second = submit(s, CoreScenario.spec().partition("gpu").tasks(4));
        long plain = submit(s, CoreScenario.spec().tasks(4));
        s.schedule();
        assertEquals("n2", s.job(first).allocation().hostnames());
        assertEquals(JobState.PENDING, s.job(second).state(), "n1 is free, but not in gpu");
        assertEquals("batch", s.job(plain).spec().partition(), "a job naming none is in the default");
        assertEquals(JobState.RUNNING, s.job(plain).state(), "batch holds every node");
        assertEquals("n1", s.job(plain).allocation().hostnames());
        s.finish(first, 0);
        s.schedule();
        assertEquals("n2", s.job(second).allocation().hostnames());
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aJobNamingSeveralPartitionsStartsInTheOneThatCanStartItAndThenNamesIt(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        s.node("n2", 4);
        s.node("n3", 4);
        create(s, "gpu", "n3", null, null, null, null);
        create(s, "cpu", "n[1-2]", null, null, null, null);
        long busy = submit(s, CoreScenario.spec().partition("gpu").tasks(4));
        s.schedule();
        long either = submit(s, CoreScenario.spec().partition("gpu,cpu").tasks(8));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(busy).state());
        assertEquals(JobState.RUNNING, s.job(either).state(), "gpu is full; cpu holds 8 tasks on two nodes");
        assertEquals("n1,n2", s.job(either).allocation().hostnames(), "all of its nodes in one partition");
        assertEquals("cpu", s.job(either).spec().partition(), "it names the partition it started in");
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aDownPartitionTakesJobsAndStartsNoneADrainedOneStartsItsQueuedOnesAndTakesNoMore(
            PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        create(s, "debug", "n1", null, null, null, "DOWN");
        long waiting = submit(s, CoreScenario.spec().partition("debug"));
        long other = submit(s, CoreScenario.spec());
        s.schedule();
        assertEquals("PartitionDown", s.job(waiting).reason());
        assertEquals(JobState.RUNNING, s.job(other).state(), "a job of another partition is not held up");
        assertTrue(state(s, "debug", "DRAIN").ok());
        var refused = s.core.refusal(CoreScenario.spec().partition("debug").build()).orElseThrow();
        assertEquals(RejectionCode.PARTITION_NOT_AVAILABLE, refused.code());
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(waiting).state(), "a drained partition starts its queued jobs");
        state(s, "debug", "INACTIVE");
        long queued = s.submit(CoreScenario.spec().partition("debug"));
        s.schedule();
        assertEquals("PartitionInactive", s.job(queued).reason());
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aLimitOverMaxTimeWaitsAndAJobWithoutOneTakesDefaultTimeElseMaxTime(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        create(s, "short", "n1", null, 30L, 10L, null);
        create(s, "capped", "n1", null, 60L, null, null);
        long over = submit(s, CoreScenario.spec().partition("short").timeLimitSeconds(3600L));
        long bare = submit(s, CoreScenario.spec().partition("short").timeLimitSeconds(null));
        long capped = submit(s, CoreScenario.spec().partition("capped").timeLimitSeconds(null));
        long within = submit(s, CoreScenario.spec().partition("short").timeLimitSeconds(1800L));
        s.schedule();
        assertEquals("PartitionTimeLimit", s.job(over).reason(), "taken, as under EnforcePartLimits=NO, and waits");
        assertEquals(600L, s.job(bare).spec().timeLimitSeconds(), "DefaultTime");
        assertEquals(3600L, s.job(capped).spec().timeLimitSeconds(), "MaxTime without a DefaultTime");
        assertEquals(JobState.RUNNING, s.job(bare).state());
        assertEquals(JobState.RUNNING, s.job(within).state(), "exactly MaxTime is within it");
        carryOut(s, new PartitionRequest.UpdatePartition("short", null, null, -1L, null, null, "root", true));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(over).state(), "MaxTime=UNLIMITED lets it start");
    }

    @Test
    void anUnknownPartitionIsRefusedAtSubmissionAndNothingChangesWithoutOne() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
        s.node("n1", 4);
        var refused = s.core.refusal(CoreScenario.spec().partition("gpu").build()).orElseThrow();
        assertEquals(RejectionCode.INVALID_PARTITION, refused.code());
        assertEquals("spec.partition", refused.problem().field());
        assertEquals(List.of(Partition.first()), s.core.partitions().list());
        JobSpec bare = CoreScenario.spec().timeLimitSeconds(null).build();
        assertEquals(bare.toBuilder().partition("batch").build(), s.core.admissionSpec(bare),
                "batch of every node, no limits: as before partitions");
    }

    @Test
    void requestsAreJudgedAsSlurmctldJudgesThem() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
        s.node("n1", 4);
        s.node("n2", 4);
        assertEquals(PartitionRefusal.ACCESS_DENIED, s.core.judge(new PartitionRequest.CreatePartition("gpu", "n1",
                null, null, null, null, "alice", false)).reply().code());
        assertEquals(PartitionRefusal.INVALID_NODE, create(s, "gpu", "n[1-3]", null, null, null, null).code());
        assertEquals(PartitionRefusal.INVALID_FIELD, create(s, "gpu", "n1", null, null, null, "SLEEPY").code());
        assertEquals(PartitionRefusal.INVALID_FIELD, create(s, "gpu", "n1", null, 10L, 20L, null).code());
        assertEquals(PartitionRefusal.INVALID_FIELD, create(s, "default", "n1", null, null, null, null).code());
        assertTrue(create(s, "gpu", "n2", true, null, null, null).ok());
        assertEquals(PartitionRefusal.DUPLICATE_NAME, create(s, "gpu", "n2", null, null, null, null).code());
        assertEquals(List.of("gpu"), s.core.partitions().list().stream().filter(Partition::isDefault)
                .map(Partition::name).toList(), "Default=YES takes it from batch");
        assertEquals("gpu", s.core.admissionSpec(CoreScenario.spec().build()).partition());
        long job = submit(s, CoreScenario.spec());
        assertEquals(PartitionRefusal.IN_USE, carryOut(s, new PartitionRequest.DeletePartition("gpu", "root", true))
                .code(), "the default");
        carryOut(s, new PartitionRequest.UpdatePartition("batch", null, true, null, null, null, "root", true));
        assertEquals(PartitionRefusal.IN_USE, carryOut(s, new PartitionRequest.DeletePartition("gpu", "root", true))
                .code(), "a job waits in it");
        s.core.cancel(job);
        assertTrue(carryOut(s, new PartitionRequest.DeletePartition("gpu", "root", true)).ok());
        assertEquals(PartitionRefusal.NOT_FOUND, carryOut(s, new PartitionRequest.DeletePartition("gpu", "root",
                true)).code());
        assertFalse(s.core.partitions().list().stream().anyMatch(p -> p.name().equals("gpu")));
    }
}
