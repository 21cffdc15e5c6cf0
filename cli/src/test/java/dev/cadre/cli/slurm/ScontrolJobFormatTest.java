package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.DependencyStatus;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.web.JobSummary;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** scontrol show job's layout, fed with jobs as the REST API gives them. */
class ScontrolJobFormatTest {
    private static final Instant SUBMIT = Instant.parse("2026-03-10T14:00:00Z");
    private static final Instant NOW = Instant.parse("2026-03-10T14:30:00Z");
    private static final JobSpec.Builder SPEC = JobSpec.builder().name("job.sh").user("alice")
            .script("#!/bin/sh\ntrue\n").workDir("/home/alice/work");
    private static final JobSpec ARRAY = SPEC.build().toBuilder().name("arr").array("0-5%2").stdout("/out/%A_%a-%j.txt")
            .timeLimitSeconds(600L).requeue(false).priority(500L).dependency("afterok:7").build();

    private static Json json(JobRecord j) {
        return Json.parse(MessageCodec.encodeValue(JobSummary.of(j, null)));
    }

    private static JobRecord record(long id, JobSpec spec, JobState state, String reason, int attempt,
            Allocation on, Instant start, Instant end, ArrayPart array) {
        return new JobRecord(id, "k" + id, spec, state, reason, attempt, on, on != null, state.isTerminal() ? 3 : null,
                state.isTerminal() ? 0 : null, SUBMIT, start, end, null, array);
    }

    private static String lines(String... lines) {
        return String.join("\n   ", lines) + "\n   \n\n";
    }

    @Test
    void aHeldPendingJob() {
        JobSpec spec = SPEC.build().toBuilder().timeLimitSeconds(3600L).hold(JobSpec.HOLD_USER).nice(10).build();
        assertEquals(lines("JobId=42 JobName=job.sh", "UserId=alice", "Priority=0 Nice=10",
                "JobState=PENDING Reason=JobHeldUser Dependency=(null)",
                "Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0",
                "RunTime=00:00:00 TimeLimit=01:00:00 TimeMin=N/A",
                "SubmitTime=2026-03-10T14:00:00 EligibleTime=Unknown",
                "StartTime=Unknown EndTime=Unknown Deadline=N/A", "SuspendTime=None SecsPreSuspend=0", "Partition=batch", "NodeList=(null)",
                "NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:*", "ReqTRES=cpu=1,node=1,billing=1",
                "AllocTRES=(null)", "MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0",
                "OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null)", "Command=(null)", "WorkDir=/home/alice/work",
                "StdErr=/home/alice/work/slurm-42.out", "StdOut=/home/alice/work/slurm-42.out"),
                ScontrolJobFormat.render(json(record(42, spec, JobState.PENDING, "JobHeldUser", 0, null, null, null,
                        null)), NOW, ZoneOffset.UTC));
    }

    @Test
    void aSuspendedJobsRunTimeLeavesOutTheTimeSuspendedAndItsEndMovesOnByIt() {
        JobSpec spec = SPEC.build().toBuilder().timeLimitSeconds(1800L).build();
        Allocation on = new Allocation(List.of(new Allocation.NodeSlots("n1-x", "n1", 1, 1, 0, 0)));
        JobRecord suspended = record(9, spec, JobState.RUNNING, null, 1, on, NOW.minusSeconds(600), null, null)
                .suspended(NOW.minusSeconds(300));
        String shown = ScontrolJobFormat.render(json(suspended), NOW, ZoneOffset.UTC, false, UnixAccounts.NONE);
        assertTrue(shown.contains("\n   JobState=SUSPENDED Reason=None "), shown);
        assertTrue(shown.contains("\n   RunTime=00:05:00 TimeLimit=00:30:00 "), shown);
        assertTrue(shown.contains("\n   StartTime=2026-03-10T14:20:00 EndTime=2026-03-10T14:55:00 Deadline=N/A\n"
                + "   SuspendTime=2026-03-10T14:25:00 SecsPreSuspend=300\n"), shown);

        JobRecord resumed = suspended.resumed(NOW.minusSeconds(60));
        String again = ScontrolJobFormat.render(json(resumed), NOW, ZoneOffset.UTC, false, UnixAccounts.NONE);
        assertTrue(again.contains("\n   RunTime=00:06:00 "), again);
        assertTrue(again.contains("EndTime=2026-03-10T14:54:00 Deadline=N/A\n"
                + "   SuspendTime=2026-03-10T14:29:00 SecsPreSuspend=300\n"), again);
    }

    @Test
    void aPendingJobShowsTheStartTheHeadExpectsAndWhere() {
        JobSpec spec = SPEC.build().toBuilder().timeLimitSeconds(1800L).build();
        Json pending = json(record(9, spec, JobState.PENDING, "Resources", 0, null, null, null, null));
        String shown = ScontrolJobFormat.render(pending, NOW, ZoneOffset.UTC, false, UnixAccounts.NONE,
                new ExpectedStart(NOW.plusSeconds(600), "n[1-2]"));
        assertTrue(shown.contains("\n   StartTime=2026-03-10T14:40:00 EndTime=2026-03-10T15:10:00 Deadline=N/A\n")
                && shown.contains("\n   NodeList=(null) SchedNodeList=n[1-2]\n"), shown);
        String unlimited = ScontrolJobFormat.render(json(record(9, SPEC.build(), JobState.PENDING, "Resources", 0,
                null, null, null, null)), NOW, ZoneOffset.UTC, false, UnixAccounts.NONE,
                new ExpectedStart(NOW.plusSeconds(600), null));
        assertTrue(unlimited.contains("\n   StartTime=2026-03-10T14:40:00 EndTime=Unknown Deadline=N/A\n")
                && unlimited.contains("\n   NodeList=(null)\n"), unlimited);
        Allocation on = new Allocation(List.of(new Allocation.NodeSlots("n1-x", "n1", 1, 1, 0, 0)));
        String running = ScontrolJobFormat.render(json(record(9, spec, JobState.RUNNING, null, 1, on, NOW, null,
                null)), NOW, ZoneOffset.UTC, false, UnixAccounts.NONE, new ExpectedStart(NOW.plusSeconds(600), "n2"));
        assertTrue(running.contains("\n   StartTime=2026-03-10T14:30:00 EndTime=2026-03-10T15:00:00 Deadline=N/A\n")
                && running.contains("\n   NodeList=n1\n"), "a started job keeps its own times: " + running);
    }

    @Test
    void aServiceInstanceNamesItsService() {
        JobSpec spec = SPEC.build().toBuilder().name("web").service("web").requeue(false).build();
        String shown = ScontrolJobFormat.render(json(record(7, spec, JobState.PENDING, "Resources", 0, null, null,
                null, null)), NOW, ZoneOffset.UTC);
        assertTrue(shown.contains("\n   Partition=batch\n   Service=web\n   NodeList=(null)\n"), shown);
        assertTrue(!ScontrolJobFormat.render(json(record(8, SPEC.build(), JobState.PENDING, "Resources", 0, null,
                null, null, null)), NOW, ZoneOffset.UTC).contains("Service="), "a batch job shows no Service line");
    }

    @Test
    void oneLinerIsTheRecordOnOneLine() {
        JobRecord job = record(42, SPEC.build(), JobState.PENDING, "Priority", 0, null, null, null, null);
        String lines = ScontrolJobFormat.render(json(job), NOW, ZoneOffset.UTC);
        String oneLine = ScontrolJobFormat.render(json(job), NOW, ZoneOffset.UTC, true, UnixAccounts.NONE);
        assertEquals(lines.replace("\n   ", " ").replace("\n\n", "\n"), oneLine);
        assertTrue(oneLine.startsWith("JobId=42 JobName=job.sh UserId=alice Priority="), oneLine);
        assertTrue(oneLine.endsWith(" StdOut=/home/alice/work/slurm-42.out \n"), oneLine);
    }

    @Test
    void aPendingJobShowsWhatIsLeftOfItsDependencyAsTheHeadJudgesIt() {
        JobRecord waiting = record(43, SPEC.build().toBuilder().dependency("afterok:5,afterany:7,afterok:8").build(),
                JobState.PENDING, "DependencyNeverSatisfied", 0, null, null, null, null);
        DependencyStatus status = DependencyStatus.of(List.of(
                new DependencyStatus.Term("afterok:5_*", DependencyStatus.State.UNFULFILLED),
                new DependencyStatus.Term("afterany:7", DependencyStatus.State.FULFILLED),
                new DependencyStatus.Term("afterok:8", DependencyStatus.State.FAILED)), false);
        String shown = ScontrolJobFormat.render(Json.parse(MessageCodec.encodeValue(JobSummary.listed(waiting, null,
                status))), NOW, ZoneOffset.UTC);
        assertTrue(shown.contains("\n   JobState=PENDING Reason=DependencyNeverSatisfied"
                + " Dependency=afterok:5_*(unfulfilled),afterok:8(failed)\n"), shown);
        assertTrue(ScontrolJobFormat.render(json(waiting), NOW, ZoneOffset.UTC)
                .contains(" Dependency=afterok:5,afterany:7,afterok:8\n"),
                "a head older than dependencyStatus: the dependency the job was given");
    }

    @Test
    void aRunningArrayTaskThatWasRequeuedOnce() {
        Allocation node1 = new Allocation(List.of(new Allocation.NodeSlots("n1-x", "node1", 1, 2, 0, 0)));
        JobRecord task = record(20, ARRAY, JobState.RUNNING, null, 2, node1, Instant.parse("2026-03-10T14:20:00Z"),
                null, new ArrayPart(12, 3, null));
        assertEquals(lines("JobId=20 ArrayJobId=12 ArrayTaskId=3 ArrayTaskThrottle=2 JobName=arr", "UserId=alice",
                "Priority=500 Nice=0", "JobState=RUNNING Reason=None Dependency=(null)",
                "Requeue=0 Restarts=1 BatchFlag=1 Reboot=0 ExitCode=0:0",
                "RunTime=00:10:00 TimeLimit=00:10:00 TimeMin=N/A",
                "SubmitTime=2026-03-10T14:00:00 EligibleTime=2026-03-10T14:00:00",
                "StartTime=2026-03-10T14:20:00 EndTime=2026-03-10T14:30:00 Deadline=N/A",
                "SuspendTime=None SecsPreSuspend=0", "Partition=batch",
                "NodeList=node1", "BatchHost=node1", "NumNodes=1 NumCPUs=2 NumTasks=1 CPUs/Task=2 ReqB:S:C:T=0:0:*:*",
                "ReqTRES=cpu=2,node=1,billing=2", "AllocTRES=cpu=2,node=1,billing=2",
                "MinCPUsNode=2 MinMemoryNode=0 MinTmpDiskNode=0",
                "OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null)", "Command=(null)",
                "WorkDir=/home/alice/work",
                "StdErr=/out/12_3-20.txt", "StdOut=/out/12_3-20.txt"),
                ScontrolJobFormat.render(json(task), NOW, ZoneOffset.UTC));
    }

    @Test
    void anArraysPendingTasksWithAComputedPriority() {
        JobSpec spec = ARRAY.toBuilder().priority(null).nice(-5).dependency(null).build();
        String shown = ScontrolJobFormat.render(json(record(12, spec, JobState.PENDING, "JobArrayTaskLimit", 0,
                null, null, null, new ArrayPart(12, null, ArrayIndexes.parse("4-5")))), NOW, ZoneOffset.UTC);
        assertEquals("JobId=12 ArrayJobId=12 ArrayTaskId=4-5 ArrayTaskThrottle=2 JobName=arr", shown.lines()
                .findFirst().orElseThrow());
        // 1,000,000 plus a point for each of the 30 minutes waited, less a nice of -5.
        assertTrue(shown.contains("\n   Priority=1000035 Nice=-5\n"), shown);
        assertTrue(shown.contains("\n   StdOut=/out/12_%a-12.txt\n"), shown);
    }

    @Test
    void anEndedJobAndDefaultArrayOutput() {
        Allocation node1 = new Allocation(List.of(new Allocation.NodeSlots("n1-x", "node1", 1, 1, 0, 0)));
        JobRecord ended = record(9, SPEC.build(), JobState.FAILED, "NonZeroExitCode", 1, node1,
                Instant.parse("2026-03-10T14:01:00Z"), Instant.parse("2026-03-10T14:03:30Z"), null);
        String shown = ScontrolJobFormat.render(json(ended), NOW, ZoneOffset.UTC);
        assertTrue(shown.contains("\n   JobState=FAILED Reason=NonZeroExitCode Dependency=(null)\n"), shown);
        assertTrue(shown.contains("ExitCode=3:0\n   RunTime=00:02:30 TimeLimit=UNLIMITED"), shown);
        assertTrue(shown.contains("EndTime=2026-03-10T14:03:30 Deadline=N/A\n"), shown);
        assertTrue(shown.contains("\n   NodeList=node1\n   BatchHost=node1\n"), shown);
        Json task = json(record(21, SPEC.build(), JobState.PENDING, "NodeFail: lost node2", 1, null, null, null,
                new ArrayPart(12, 4, null)));
        assertEquals("/home/alice/work/slurm-12_4.out", ScontrolJobFormat.outputPath(task, null));
        assertEquals(1, ScontrolJobFormat.restarts(task), "pending again after its first attempt");
        String reason = ScontrolJobFormat.render(task, NOW, ZoneOffset.UTC);
        assertTrue(reason.contains(" Reason=NodeFail:_lost_node2 "), reason);
    }

    @Test
    void aSingleJobsSpecGivesTheNodesItAskedForTasksPerNodeGpusAndStandardInput() {
        Allocation two = new Allocation(List.of(new Allocation.NodeSlots("n1-x", "node1", 2, 4, 2, 4096),
                new Allocation.NodeSlots("n2-x", "node2", 2, 4, 2, 4096)));
        JobSpec spec = SPEC.build().toBuilder().nodes(2).tasks(4).tasksPerNode(2).cpusPerTask(2).gpusPerTask(1)
                .memoryPerCpuMb(1024L).nodelist(List.of("node1", "node2")).exclude(List.of("node3"))
                .stdin("in-%j.txt").build();
        JobRecord running = record(5, spec, JobState.RUNNING, null, 1, two, Instant.parse("2026-03-10T14:01:00Z"),
                null, null);
        String shown = ScontrolJobFormat.render(Json.parse(MessageCodec.encodeValue(JobSummary.detail(running,
                List.of()))), NOW, ZoneOffset.UTC);
        assertTrue(shown.contains("\n   Partition=batch\n   ReqNodeList=node1,node2 ExcNodeList=node3\n"
                + "   NodeList=node1,node2\n"), shown);
        assertTrue(shown.contains("\n   NumNodes=2 NumCPUs=8 NumTasks=4 CPUs/Task=2 ReqB:S:C:T=0:0:*:*\n"
                + "   ReqTRES=cpu=8,mem=8G,node=2,billing=8,gres/gpu=4\n"
                + "   AllocTRES=cpu=8,mem=8G,node=2,billing=8,gres/gpu=4\n"
                + "   Socks/Node=* NtasksPerN:B:S:C=2:0:*:* CoreSpec=*\n"
                + "   MinCPUsNode=4 MinMemoryCPU=1G MinTmpDiskNode=0\n"), shown);
        assertTrue(shown.contains("\n   StdIn=/home/alice/work/in-5.txt\n   StdOut="), shown);
        // The list carries no spec: what only the spec tells is left out, the rest is the same.
        String listed = ScontrolJobFormat.render(json(running), NOW, ZoneOffset.UTC);
        assertTrue(!listed.contains("ReqNodeList=") && !listed.contains("StdIn=") && !listed.contains("NtasksPerN"),
                listed);
        assertTrue(listed.contains("\n   ReqTRES=cpu=8,mem=8G,node=2,billing=8\n"), listed);
        String plain = ScontrolJobFormat.render(Json.parse(MessageCodec.encodeValue(JobSummary.detail(record(6,
                SPEC.build(), JobState.PENDING, "Priority", 0, null, null, null, null), List.of()))), NOW,
                ZoneOffset.UTC);
        assertTrue(plain.contains("\n   ReqNodeList=(null) ExcNodeList=(null)\n"), plain);
        assertTrue(plain.contains("\n   StdIn=/dev/null\n"), plain);
    }

    @Test
    void anExclusiveJobDoesNotShareItsNodesAndShowsItsMemoryPerNode() {
        Allocation whole = new Allocation(List.of(new Allocation.NodeSlots("n1-x", "node1", 1, 16, 0, 2048)));
        JobSpec spec = SPEC.build().toBuilder().exclusive(true).memoryMb(2048L).build();
        JobRecord running = record(7, spec, JobState.RUNNING, null, 1, whole, Instant.parse("2026-03-10T14:01:00Z"),
                null, null);
        String listed = ScontrolJobFormat.render(json(running), NOW, ZoneOffset.UTC);
        // Its 16 CPUs are the node's, not its one task's: its CPUs per task are not told.
        assertTrue(listed.contains("\n   NumNodes=1 NumCPUs=16 NumTasks=1 ReqB:S:C:T=0:0:*:*\n"
                + "   ReqTRES=cpu=16,mem=2G,node=1,billing=16\n   AllocTRES=cpu=16,mem=2G,node=1,billing=16\n"
                + "   MinMemoryNode=2G MinTmpDiskNode=0\n   OverSubscribe=NO "), listed);
    }

    @Test
    void aScriptJobShowsItsScriptsPathAndItsBatchHost() {
        Allocation two = new Allocation(List.of(new Allocation.NodeSlots("n1-x", "node1", 1, 1, 0, 0),
                new Allocation.NodeSlots("n2-x", "node2", 1, 1, 0, 0)));
        JobSpec spec = SPEC.build().toBuilder().environment(java.util.Map.of(
                SbatchCommandLine.SCRIPT_PATH_VARIABLE, "/home/alice/work/job.sh")).build();
        JobRecord running = record(5, spec, JobState.RUNNING, null, 1, two, Instant.parse("2026-03-10T14:01:00Z"),
                null, null);
        String shown = ScontrolJobFormat.render(Json.parse(MessageCodec.encodeValue(JobSummary.detail(running,
                List.of()))), NOW, ZoneOffset.UTC);
        assertTrue(shown.contains("\n   NodeList=node1,node2\n   BatchHost=node1\n"), shown);
        assertTrue(shown.contains("\n   Command=/home/alice/work/job.sh\n"), shown);
        String wrapped = ScontrolJobFormat.render(Json.parse(MessageCodec.encodeValue(JobSummary.detail(
                record(6, SPEC.build(), JobState.PENDING, "Priority", 0, null, null, null, null), List.of()))), NOW,
                ZoneOffset.UTC);
        assertTrue(wrapped.contains("\n   Command=(null)\n"), wrapped);
        assertTrue(!wrapped.contains("BatchHost="), "a pending job has no batch host yet");
    }
}
