package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.web.JobSummary;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * scontrol -d show job's per-node lines, as Slurm's scontrol prints them (info_job.c): JOB_GRES and then
 * {@code   Nodes=HOSTS CPU_IDs=LIST Mem=MB GRES=} after Socks/Node, a run of nodes with the same CPUs and memory on
 * one line; only with -d, only for a job whose current attempt holds CPUs its nodes told of.
 */
class ScontrolJobCpusTest {
    private static final Instant START = Instant.parse("2026-03-10T14:00:00Z");
    private static final Instant NOW = Instant.parse("2026-03-10T14:30:00Z");
    private static final JobSpec SPEC = JobSpec.builder().name("job.sh").user("alice").script("#!/bin/sh\ntrue\n")
            .workDir("/home/alice/work").nodes(3).tasks(3).memoryMb(100L).build();
    private static final Allocation ON = new Allocation(List.of(new Allocation.NodeSlots("a", "n1", 1, 1, 0, 100),
            new Allocation.NodeSlots("b", "n2", 1, 1, 0, 100), new Allocation.NodeSlots("c", "n3", 1, 1, 0, 100)));

    private static AttemptRecord attempt(int attempt, List<AttemptRecord.NodeCpus> cpus) {
        return new AttemptRecord(1, attempt, ON.hostnames(), START, null, null, null, null, null, null, cpus);
    }

    private static final List<AttemptRecord.NodeCpus> SAID = List.of(new AttemptRecord.NodeCpus("a", "n1", "0-1", 100),
            new AttemptRecord.NodeCpus("b", "n2", "0-1", 100), new AttemptRecord.NodeCpus("c", "n3", "2", 100));

    private static String shown(JobRecord j, List<AttemptRecord> attempts, boolean details, boolean oneLiner) {
        Json job = Json.parse(MessageCodec.encodeValue(JobSummary.detail(j, attempts)));
        return ScontrolJobFormat.render(job, NOW, ZoneOffset.UTC, oneLiner, UnixAccounts.NONE, null, details);
    }

    private static JobRecord running() {
        JobRecord pending = new JobRecord(1, "k1", SPEC, JobState.PENDING, "None", 0, null, false, null, null,
                START, null, null);
        return pending.started(1, ON, START);
    }

    @Test
    void withDetailsARunningJobShowsItsNodesCpusAfterSocksPerNode() {
        String shown = shown(running(), List.of(attempt(1, SAID)), true, false);
        assertTrue(shown.contains("\n   Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=*\n   JOB_GRES=(null)\n"
                + "     Nodes=n[1-2] CPU_IDs=0-1 Mem=100 GRES=\n     Nodes=n3 CPU_IDs=2 Mem=100 GRES=\n"
                + "   MinCPUsNode=1 "), shown);
        assertFalse(shown(running(), List.of(attempt(1, SAID)), false, false).contains("CPU_IDs"),
                "only with -d, as slurmctld sends a job's resources only for details");
        assertTrue(shown(running(), List.of(attempt(1, SAID)), true, true).contains(" CoreSpec=* JOB_GRES=(null)"
                + "   Nodes=n[1-2] CPU_IDs=0-1 Mem=100 GRES=   Nodes=n3 CPU_IDs=2 Mem=100 GRES= MinCPUsNode=1 "),
                "one line with -o, the nodes' two spaces kept");
    }

    @Test
    void anUnboundNodeShowsNoIdsAndANodeThatDidNotSayIsLeftOut() {
        String shown = shown(running(), List.of(attempt(1, List.of(new AttemptRecord.NodeCpus("a", "n1", "", 100),
                new AttemptRecord.NodeCpus("c", "n3", "", 100)))), true, false);
        assertTrue(shown.contains("\n   JOB_GRES=(null)\n     Nodes=n[1,3] CPU_IDs= Mem=100 GRES=\n   MinCPUsNode"),
                shown);
        assertFalse(shown(running(), List.of(attempt(1, null)), true, false).contains("JOB_GRES"),
                "no node said: nothing to show");
    }

    @Test
    void aJobPendingAgainShowsNoneAndAnEndedJobItsLastAttempts() {
        JobRecord requeued = running().requeued("requeued by alice", null).withState(JobState.PENDING, "BeginTime");
        assertFalse(shown(requeued, List.of(attempt(1, SAID)), true, false).contains("JOB_GRES"), "holds no CPUs");

        JobRecord second = requeued.started(2, ON, NOW.minusSeconds(60));
        List<AttemptRecord.NodeCpus> moved = List.of(new AttemptRecord.NodeCpus("a", "n1", "3", 100));
        String now = shown(second, List.of(attempt(1, SAID), attempt(2, moved)), true, false);
        assertTrue(now.contains("\n     Nodes=n1 CPU_IDs=3 Mem=100 GRES=\n   MinCPUsNode"), now);
        assertFalse(now.contains("CPU_IDs=0-1"), "the earlier attempt's are not the job's now");

        JobRecord ended = second.ended(JobState.COMPLETED, null, 0, 0, NOW);
        assertTrue(shown(ended, List.of(attempt(1, SAID), attempt(2, moved)), true, false)
                .contains("\n     Nodes=n1 CPU_IDs=3 Mem=100 GRES=\n"), "kept until the job is purged, as Slurm");
    }

    @Test
    void aGpuJobsGresIsItsGpuCount() {
        JobRecord gpus = new JobRecord(1, "k1", SPEC.toBuilder().gpusPerTask(1).build(), JobState.PENDING, "None", 0,
                null, false, null, null, START, null, null).started(1, ON, START);
        assertTrue(shown(gpus, List.of(attempt(1, SAID)), true, false).contains("\n   JOB_GRES=gpu:3\n"));
    }

    @Test
    void eachNodeShowsTheGpuIndexesItGaveTheJobAsSlurmsGresDetail() {
        JobRecord gpus = new JobRecord(1, "k1", SPEC.toBuilder().gpusPerTask(1).build(), JobState.PENDING, "None", 0,
                null, false, null, null, START, null, null).started(1, ON, START);
        List<AttemptRecord.NodeCpus> said = List.of(new AttemptRecord.NodeCpus("a", "n1", "0-1", 100, List.of(0, 1)),
                new AttemptRecord.NodeCpus("b", "n2", "0-1", 100, List.of(3)),
                new AttemptRecord.NodeCpus("c", "n3", "0-1", 100, List.of(3)));
        String shown = shown(gpus, List.of(attempt(1, said)), true, false);
        assertTrue(shown.contains("\n   JOB_GRES=gpu:3\n     Nodes=n1 CPU_IDs=0-1 Mem=100 GRES=gpu:2(IDX:0-1)\n"
                + "     Nodes=n[2-3] CPU_IDs=0-1 Mem=100 GRES=gpu:1(IDX:3)\n   MinCPUsNode"), shown);
        List<AttemptRecord.NodeCpus> none = List.of(new AttemptRecord.NodeCpus("a", "n1", "0", 100, List.of()),
                new AttemptRecord.NodeCpus("b", "n2", "0", 100, null),
                new AttemptRecord.NodeCpus("c", "n3", "0", 100, List.of(0, 2, 3)));
        shown = shown(gpus, List.of(attempt(1, none)), true, false);
        assertTrue(shown.contains("\n     Nodes=n[1-2] CPU_IDs=0 Mem=100 GRES=\n"
                + "     Nodes=n3 CPU_IDs=0 Mem=100 GRES=gpu:3(IDX:0,2-3)\n"), "none there, or not said: " + shown);
    }

    /** A node whose GPUs have types names each type it gave, as Slurm's allocation holds one entry per type. */
    @Test
    void aNodeWhoseGpusHaveTypesShowsThemPerTypeAndJobGresCountsEachType() {
        JobRecord gpus = new JobRecord(1, "k1", SPEC.toBuilder().gpusPerTask(1).build(), JobState.PENDING, "None", 0,
                null, false, null, null, START, null, null).started(1, ON, START);
        List<AttemptRecord.NodeCpus> said = List.of(
                new AttemptRecord.NodeCpus("a", "n1", "0", 100, List.of(0, 2), typed("a100", List.of(0), "v100",
                        List.of(2))),
                new AttemptRecord.NodeCpus("b", "n2", "0", 100, List.of(1), typed("a100", List.of(1))),
                new AttemptRecord.NodeCpus("c", "n3", "0", 100, List.of(1), typed("a100", List.of(1))));
        String shown = shown(gpus, List.of(attempt(1, said)), true, false);
        assertTrue(shown.contains("\n   JOB_GRES=gpu:a100:3,gpu:v100:1\n"
                + "     Nodes=n1 CPU_IDs=0 Mem=100 GRES=gpu:a100:1(IDX:0),gpu:v100:1(IDX:2)\n"
                + "     Nodes=n[2-3] CPU_IDs=0 Mem=100 GRES=gpu:a100:1(IDX:1)\n"), shown);
        JobRecord typed = new JobRecord(1, "k1", SPEC.toBuilder().gpusPerTask(1).gpuType("a100").build(),
                JobState.PENDING, "None", 0, null, false, null, null, START, null, null).started(1, ON, START);
        assertTrue(shown(typed, List.of(attempt(1, SAID)), true, false).contains("\n   JOB_GRES=gpu:a100:3\n"),
                "nodes that did not say: the type the job asked for");
    }

    private static java.util.Map<String, List<Integer>> typed(Object... typeIndexes) {
        java.util.Map<String, List<Integer>> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < typeIndexes.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Integer> indexes = (List<Integer>) typeIndexes[i + 1];
            out.put((String) typeIndexes[i], indexes);
        }
        return out;
    }
}
