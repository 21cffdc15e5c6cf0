package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.RejectionCode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterFitTest {
    private static final List<NodeCapacity> CLUSTER = List.of(
            new NodeCapacity("id1", "n1", 8, 16_000, 0),
            new NodeCapacity("id2", "n2", 8, 16_000, 0),
            new NodeCapacity("id3", "gpu1", 4, 64_000, 2));

    private static String judged(JobSpec.Builder b) {
        return ClusterFit.refusal(b.build(), CLUSTER).map(r -> r.problem().toString()).orElse("fits");
    }

    @Test
    void jobsTheIdleClusterCanHoldFit() {
        assertEquals("fits", judged(ResourceFitTest.job().tasks(20)));
        assertEquals("fits", judged(ResourceFitTest.job().nodes(3).tasks(12)));
        assertEquals("fits", judged(ResourceFitTest.job().gpusPerTask(1).tasks(2)));
        assertEquals("fits", judged(ResourceFitTest.job().nodelist(List.of("id1", "gpu1")).exclusive(true)));
    }

    @Test
    void aJobThatCanNeverFitNamesTheFieldThatAsksTooMuch() {
        assertEquals("spec.cpusPerTask: asks 64 CPUs per task; the largest node has 8",
                judged(ResourceFitTest.job().cpusPerTask(64)));
        assertEquals("spec.gpusPerTask: asks 4 GPUs per task; the largest node has 2",
                judged(ResourceFitTest.job().gpusPerTask(4)));
        assertEquals("spec.memoryMb: asks 100000 MB per node; the largest node has 64000",
                judged(ResourceFitTest.job().memoryMb(100_000L)));
        assertEquals("spec.nodelist: names n7, which is not a known node; the known nodes are n[1-2],gpu1",
                judged(ResourceFitTest.job().nodelist(List.of("n[1-2],n7"))));
        assertEquals("spec.nodes", field(ResourceFitTest.job().nodes(4).tasks(4)));
        assertEquals("spec.nodes", field(ResourceFitTest.job().nodes(3).exclude(List.of("gpu1"))));
        assertEquals("spec.exclude", field(ResourceFitTest.job().exclude(List.of("n[1-2],gpu1"))));
        assertEquals("spec.tasks", field(ResourceFitTest.job().tasks(21)));
        assertEquals("spec.tasks", field(ResourceFitTest.job().nodes(2).tasks(12).exclude(List.of("n1"))));
        assertEquals("spec.nodelist", field(ResourceFitTest.job().nodelist(List.of("gpu1")).cpusPerTask(6)));
        assertEquals("spec.cpusPerTask", field(ResourceFitTest.job().cpusPerTask(6).gpusPerTask(1)));
        assertEquals("spec.tasksPerNode", field(ResourceFitTest.job().tasks(8).tasksPerNode(2)));
        assertEquals("spec.memoryPerCpuMb: asks 20000 MB per CPU of an exclusive job, which has every CPU of its"
                + " nodes; no node has that much for each of its CPUs (the most any has is 16000 MB per CPU)",
                judged(ResourceFitTest.job().exclusive(true).memoryPerCpuMb(20_000L).memoryMb(20_000L)));
        assertEquals("fits", judged(ResourceFitTest.job().exclusive(true).memoryPerCpuMb(16_000L).memoryMb(16_000L)));
    }

    @Test
    void onlyAHostThatIsNoNodeIsRefusedAsUnknown() {
        assertEquals(RejectionCode.UNKNOWN_NODE, code(ResourceFitTest.job().nodelist(List.of("n[1-2],n7"))));
        assertEquals(RejectionCode.UNSATISFIABLE, code(ResourceFitTest.job().nodelist(List.of("gpu1")).cpusPerTask(6)),
                "a known host too small for the job");
        assertEquals(RejectionCode.UNSATISFIABLE, code(ResourceFitTest.job().nodes(4).tasks(4)));
        assertEquals(RejectionCode.UNSATISFIABLE, code(ResourceFitTest.job().exclude(List.of("n[1-2],gpu1"))));
        assertEquals(Optional.empty(), ClusterFit.refusal(ResourceFitTest.job().tasks(20).build(), CLUSTER));
    }

    private static RejectionCode code(JobSpec.Builder b) {
        return ClusterFit.refusal(b.build(), CLUSTER).orElseThrow().code();
    }

    private static String field(JobSpec.Builder b) {
        return ClusterFit.refusal(b.build(), CLUSTER).orElseThrow().problem().field();
    }
}
