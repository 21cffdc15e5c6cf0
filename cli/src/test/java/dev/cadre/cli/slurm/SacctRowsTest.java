package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ResourceUsage;
import dev.cadre.web.JobSummary;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** sacct's rows for a job as the REST API describes it: the job, its batch step, and with -D its earlier runs. */
class SacctRowsTest {
    private static final JobSpec SPEC = JobSpec.builder().name("sim").user("alice").script("#!/bin/sh\n")
            .workDir("/w").timeLimitSeconds(600L).build();
    private static final Instant T0 = Instant.parse("2026-03-10T14:00:00Z");
    private static final Allocation TWO_NODES = new Allocation(List.of(
            new Allocation.NodeSlots("n2-x", "node2", 2, 2, 0, 0), new Allocation.NodeSlots("n3-x", "node3", 2, 2,
                    0, 0)));
    private static final AttemptRecord REQUEUED = new AttemptRecord(7, 1, "node1", T0.plusSeconds(60),
            T0.plusSeconds(120), JobState.REQUEUED, null, 15, null);
    private static final AttemptRecord LOST = new AttemptRecord(7, 2, "node3", T0.plusSeconds(180),
            T0.plusSeconds(200), JobState.NODE_FAIL, null, null, "node3 stopped answering");
    private static final List<String> FIELDS = List.of("JobID", "JobIDRaw", "JobName", "State", "ExitCode",
            "AllocCPUS", "NNodes", "NodeList", "Start", "End", "Elapsed", "Timelimit");

    private static Json json(JobRecord j, List<AttemptRecord> attempts) {
        return Json.parse(MessageCodec.encodeValue(JobSummary.of(j, attempts)));
    }

    private static List<String> reqMem(JobRecord j) throws Exception {
        return SacctFormat.render(List.of("JobID", "ReqMem"), SacctRows.of(json(j, null), false, T0.plusSeconds(999)),
                false, PrintFields.Parsable.NO_TRAILING_BAR, ZoneOffset.UTC);
    }

    /** ReqMem of the job while pending, then after it ran on two whole nodes of 16 CPUs and 62 GiB. */
    private static List<String> reqMemWaitingThenOnWholeNodes(long id, JobSpec spec, int tasksPerNode)
            throws Exception {
        Allocation whole = new Allocation(List.of(
                new Allocation.NodeSlots("n2-x", "node2", tasksPerNode, 16, 0, 63_488),
                new Allocation.NodeSlots("n3-x", "node3", tasksPerNode, 16, 0, 63_488)));
        JobRecord waits = new JobRecord(id, "k", spec, JobState.PENDING, null, 0, null, false, null, null, T0, null,
                null);
        JobRecord ran = new JobRecord(id, "k", spec, JobState.COMPLETED, null, 1, whole, true, 0, 0, T0,
                T0.plusSeconds(300), T0.plusSeconds(365));
        List<String> lines = new ArrayList<>(reqMem(waits));
        lines.addAll(reqMem(ran));
        return lines;
    }

    private static List<String> render(List<SacctRow> rows) throws Exception {
        return SacctFormat.render(FIELDS, rows, false, PrintFields.Parsable.NO_TRAILING_BAR, ZoneOffset.UTC);
    }

    @Test
    void suspendedTimeIsSacctsSuspendedAndLeftOutOfElapsedWhileSuspendedAndAfter() throws Exception {
        JobRecord running = new JobRecord(7, "k", SPEC, JobState.RUNNING, null, 1, TWO_NODES, true, null, null, T0,
                T0, null);
        JobRecord suspended = running.suspended(T0.plusSeconds(100));
        SacctRow now = SacctRows.job(json(suspended, null), T0.plusSeconds(400));
        assertEquals(300, now.suspendedSeconds());
        assertEquals(100, now.elapsedSeconds(), "it ran 100 s, then stood still");
        assertEquals(List.of("00:05:00|00:01:40|"), SacctFormat.render(List.of("Suspended", "Elapsed"), List.of(now),
                false, true));

        JobRecord ended = suspended.resumed(T0.plusSeconds(400)).ended(JobState.COMPLETED, "None", 0, 0,
                T0.plusSeconds(450));
        SacctRow after = SacctRows.job(json(ended, null), T0.plusSeconds(9_000));
        assertEquals(300, after.suspendedSeconds());
        assertEquals(150, after.elapsedSeconds());
    }

    @Test
    void aJobThatRanShowsItsBatchStepOnItsFirstNode() throws Exception {
        JobRecord done = new JobRecord(7, "k", SPEC, JobState.COMPLETED, null, 1, TWO_NODES, true, 0, 0, T0,
                T0.plusSeconds(300), T0.plusSeconds(365));
        assertEquals(List.of(
                "7|7|sim|COMPLETED|0:0|4|2|node[2-3]|2026-03-10T14:05:00|2026-03-10T14:06:05|00:01:05|00:10:00",
                "7.batch|7.batch|batch|COMPLETED|0:0|2|1|node2|2026-03-10T14:05:00|2026-03-10T14:06:05|00:01:05|"),
                render(SacctRows.of(json(done, null), true, T0.plusSeconds(999))));
        assertEquals(1, SacctRows.of(json(done, null), false, T0).size(), "-X leaves the step out");
    }

    @Test
    void aHostNameNoHostListHoldsIsPrintedNotRefused() throws Exception {
        // Stored by a node-runner from before host names were checked; sacct must still list every job.
        Allocation odd = new Allocation(List.of(new Allocation.NodeSlots("o-x", "odd,name=x", 2, 2, 0, 0),
                new Allocation.NodeSlots("n3-x", "node3", 2, 2, 0, 0)));
        JobRecord done = new JobRecord(7, "k", SPEC, JobState.COMPLETED, null, 1, odd, true, 0, 0, T0,
                T0.plusSeconds(300), T0.plusSeconds(365));
        List<String> rows = render(SacctRows.of(json(done, null), true, T0.plusSeconds(999)));
        assertEquals(2, rows.size(), rows.toString());
        assertTrue(rows.get(1).startsWith("7.batch|7.batch|batch|COMPLETED|0:0|2|1|odd|"), rows.get(1));
    }

    @Test
    void aTimedOutJobsStepWasCancelled() {
        JobRecord late = new JobRecord(8, "k", SPEC, JobState.TIMEOUT, null, 1, TWO_NODES, true, null, 15, T0,
                T0.plusSeconds(1), T0.plusSeconds(601));
        assertEquals(List.of("TIMEOUT", "CANCELLED"), SacctRows.of(json(late, null), true, T0).stream()
                .map(SacctRow::state).toList());
    }

    @Test
    void aPendingJobHasNoStepAndNoNodes() throws Exception {
        JobRecord waiting = new JobRecord(9, "k", SPEC, JobState.PENDING, "Resources", 0, null, false, null, null,
                T0, null, null);
        assertEquals(List.of("9|9|sim|PENDING|0:0|1|1|None assigned|Unknown|Unknown|00:00:00|00:10:00"),
                render(SacctRows.of(json(waiting, null), true, T0.plusSeconds(50))));
    }

    @Test
    void eligibleIsTheBeginTimeWhenLaterThanSubmissionAndUnknownWhileHeldOrWaitingOnADependency() {
        JobSpec later = SPEC.toBuilder().beginTime(T0.plusSeconds(20)).build();
        JobRecord waiting = new JobRecord(10, "k", later, JobState.PENDING, "BeginTime", 0, null, false, null, null,
                T0, null, null);
        assertEquals(T0.plusSeconds(20), SacctRows.job(json(waiting, null), T0).eligible());
        JobRecord ran = new JobRecord(10, "k", later, JobState.COMPLETED, null, 1, TWO_NODES, true, 0, 0, T0,
                T0.plusSeconds(21), T0.plusSeconds(22));
        assertEquals(T0.plusSeconds(20), SacctRows.job(json(ran, null), T0).eligible(), "also after it ran");
        JobSpec earlier = SPEC.toBuilder().beginTime(T0.minusSeconds(60)).build();
        assertEquals(T0, SacctRows.job(json(new JobRecord(11, "k", earlier, JobState.PENDING, "Resources", 0, null,
                false, null, null, T0, null, null), null), T0).eligible(), "a begin time already past: submission");
        JobRecord held = new JobRecord(12, "k", SPEC.toBuilder().hold(JobSpec.HOLD_USER).build(), JobState.PENDING,
                "JobHeldUser", 0, null, false, null, null, T0, null, null);
        assertEquals(null, SacctRows.job(json(held, null), T0).eligible(), "held: Unknown, as Slurm shows it");
        JobRecord dependent = new JobRecord(13, "k", SPEC.toBuilder().dependency("afterok:7").build(),
                JobState.PENDING, "Dependency", 0, null, false, null, null, T0, null, null);
        assertEquals(null, SacctRows.job(json(dependent, null), T0).eligible(), "waiting on a dependency: Unknown");
    }

    @Test
    void eligibleIsWhenAHeldOrDependentJobBecameEligibleOnceItIsNoLonger() {
        // Released (or its dependency satisfied) at T0+30: the scheduler keeps that moment through the end.
        JobRecord released = new JobRecord(14, "k", SPEC, JobState.COMPLETED, null, 1, TWO_NODES, true, 0, 0, T0,
                T0.plusSeconds(40), T0.plusSeconds(50), T0.plusSeconds(30), null);
        assertEquals(T0.plusSeconds(30), SacctRows.job(json(released, null), T0).eligible());
    }

    @Test
    void aRunningJobsElapsedTimeGrowsToNow() {
        JobRecord running = new JobRecord(10, "k", SPEC, JobState.RUNNING, null, 1, TWO_NODES, false, null, null,
                T0, T0.plusSeconds(10), null);
        assertEquals(90, SacctRows.of(json(running, null), false, T0.plusSeconds(100)).get(0).elapsedSeconds());
    }

    @Test
    void aCompletedThirdRunShowsTheTwoBeforeIt() throws Exception {
        AttemptRecord third = new AttemptRecord(7, 3, "node2,node3", T0.plusSeconds(300), T0.plusSeconds(360),
                JobState.COMPLETED, 0, 0, null);
        JobRecord done = new JobRecord(7, "k", SPEC, JobState.COMPLETED, null, 3, TWO_NODES, true, 0, 0, T0,
                T0.plusSeconds(300), T0.plusSeconds(360));
        List<SacctRow> rows = new ArrayList<>(SacctRows.earlierRuns(json(done, null),
                json(done, List.of(REQUEUED, LOST, third)), T0));
        rows.addAll(SacctRows.of(json(done, null), false, T0));
        assertEquals(List.of(
                "7|7|sim|REQUEUED|0:15|4|2|node1|2026-03-10T14:01:00|2026-03-10T14:02:00|00:01:00|00:10:00",
                "7|7|sim|NODE_FAIL|0:0|4|2|node3|2026-03-10T14:03:00|2026-03-10T14:03:20|00:00:20|00:10:00",
                "7|7|sim|COMPLETED|0:0|4|2|node[2-3]|2026-03-10T14:05:00|2026-03-10T14:06:00|00:01:00|00:10:00"),
                render(rows));
    }

    @Test
    void anEarlierRunShowsItsOwnReasonNotTheJobsCurrentOne() throws Exception {
        JobRecord waiting = new JobRecord(7, "k", SPEC, JobState.PENDING, "BeginTime", 3, null, false, null, null, T0,
                null, null);
        List<SacctRow> rows = SacctRows.earlierRuns(json(waiting, null), json(waiting, List.of(REQUEUED, LOST)), T0);
        assertEquals(List.of("7|REQUEUED|None", "7|NODE_FAIL|NodeFail: node3 stopped answering"),
                SacctFormat.render(List.of("JobID", "State", "Reason"), rows, false,
                PrintFields.Parsable.NO_TRAILING_BAR, ZoneOffset.UTC));
    }

    @Test
    void aJobWaitingAfterARequeueShowsTheRunItHadAndItsPendingSelf() throws Exception {
        JobRecord waiting = new JobRecord(7, "k", SPEC, JobState.PENDING, "Requeued", 1, null, false, null, null, T0,
                null, null);
        assertTrue(SacctRows.wasRequeued(json(waiting, null)));
        List<SacctRow> rows = new ArrayList<>(SacctRows.earlierRuns(json(waiting, null),
                json(waiting, List.of(REQUEUED)), T0));
        rows.addAll(SacctRows.of(json(waiting, null), true, T0));
        assertEquals(List.of(
                "7|7|sim|REQUEUED|0:15|1|1|node1|2026-03-10T14:01:00|2026-03-10T14:02:00|00:01:00|00:10:00",
                "7|7|sim|PENDING|0:0|1|1|None assigned|Unknown|Unknown|00:00:00|00:10:00"), render(rows));
    }

    @Test
    void eachRunShowsWhatItsOwnAttemptUsedAndOnlyTheBatchStepItsMemory() throws Exception {
        ResourceUsage firstRun = new ResourceUsage(61_050_000L, 0L, 2_097_152L);
        ResourceUsage thirdRun = new ResourceUsage(3_600_000_000L, 123_000_000L, 10_686_464L);
        AttemptRecord third = new AttemptRecord(7, 3, "node2,node3", T0.plusSeconds(300), T0.plusSeconds(360),
                JobState.COMPLETED, 0, 0, null, thirdRun);
        List<AttemptRecord> attempts = List.of(REQUEUED.withUsage(firstRun), LOST, third);
        JobRecord done = new JobRecord(7, "k", SPEC, JobState.COMPLETED, null, 3, TWO_NODES, true, 0, 0, T0,
                T0.plusSeconds(300), T0.plusSeconds(360));
        List<SacctRow> rows = new ArrayList<>(SacctRows.earlierRuns(json(done, null), json(done, attempts), T0));
        rows.addAll(SacctRows.of(json(done, null), json(done, attempts), true, T0));
        assertEquals(List.of(
                "7|REQUEUED|01:01.050|01:01.050|00:00:00||",
                "7|NODE_FAIL|||||",
                "7|COMPLETED|01:02:03|01:00:00|00:02:03||",
                "7.batch|COMPLETED|01:02:03|01:00:00|00:02:03|10436K|node2"),
                SacctFormat.render(List.of("JobID", "State", "TotalCPU", "UserCPU", "SystemCPU", "MaxRSS",
                        "MaxRSSNode"), rows, false, PrintFields.Parsable.NO_TRAILING_BAR, ZoneOffset.UTC));
        assertEquals(null, SacctRows.of(json(done, null), true, T0).get(1).usage(), "attempts not read: blank");
    }

    @Test
    void aJobWaitingToRunAgainShowsNoUsageOfItsOwnOnlyItsEarlierRunDoes() throws Exception {
        ResourceUsage used = new ResourceUsage(1_000_000L, 0L, 4096L);
        JobRecord waiting = new JobRecord(7, "k", SPEC, JobState.PENDING, "Requeued", 1, null, false, null, null, T0,
                null, null);
        List<AttemptRecord> attempts = List.of(REQUEUED.withUsage(used));
        assertEquals(used, SacctRows.earlierRuns(json(waiting, null), json(waiting, attempts), T0).get(0).usage());
        assertEquals(null, SacctRows.of(json(waiting, null), json(waiting, attempts), true, T0).get(0).usage());
    }

    @Test
    void reqMemIsTheJobsWholeMemoryRequestInSacctsUnits() throws Exception {
        JobRecord done = new JobRecord(7, "k", SPEC.toBuilder().memoryMb(512L).build(), JobState.COMPLETED, null, 1,
                TWO_NODES, true, 0, 0, T0, T0.plusSeconds(300), T0.plusSeconds(365));
        assertEquals(List.of("7|1G", "7.batch|"), SacctFormat.render(List.of("JobID", "ReqMem"),
                SacctRows.of(json(done, null), true, T0.plusSeconds(999)), false,
                PrintFields.Parsable.NO_TRAILING_BAR, ZoneOffset.UTC));
        JobRecord none = new JobRecord(8, "k", SPEC, JobState.PENDING, null, 0, null, false, null, null, T0, null,
                null);
        assertEquals(List.of("8|0"), SacctFormat.render(List.of("JobID", "ReqMem"), SacctRows.of(json(none, null),
                true, T0), false, PrintFields.Parsable.NO_TRAILING_BAR, ZoneOffset.UTC));
        // sbatch --exclusive -N2 -n4 --mem-per-cpu=1G: 4G asked for while pending, and all its nodes' CPUs once it
        // has them (16 each), as its nodes enforce it and Slurm shows it.
        JobSpec perCpu = SPEC.toBuilder().nodes(2).tasks(4).memoryMb(2048L).memoryPerCpuMb(1024L).exclusive(true)
                .build();
        assertEquals(List.of("9|4G", "9|32G"), reqMemWaitingThenOnWholeNodes(9, perCpu, 2));
        assertEquals("4000M", SlurmNumbers.memory(4000));
        assertEquals("300M", SlurmNumbers.memory(300));
        assertEquals("1.50G", SlurmNumbers.memory(1536));
        assertEquals("2T", SlurmNumbers.memory(2L * 1024 * 1024));
    }

    /** sbatch --mem=0 (all of each node's memory) makes an exclusive job with no memory figure: Slurm's 0. */
    @Test
    void reqMemOfAJobAskingForAllOfItsNodesMemoryIsZero() throws Exception {
        JobSpec all = SPEC.toBuilder().nodes(2).exclusive(true).build();
        assertEquals(List.of("11|0", "11|0"), reqMemWaitingThenOnWholeNodes(11, all, 1));
        assertEquals("0", SlurmNumbers.memory(0), "convert_num_unit prints 0 with no unit");
    }

    @Test
    void reqMemStopsAtTheLargestLongRatherThanWrapping() throws Exception {
        // 2^40 MiB per CPU on an exclusive node of 2^24 CPUs: 2^64 MiB, past a long (stored before the head
        // checked memoryMb against it, or answered by a head that does not).
        JobSpec huge = SPEC.toBuilder().memoryMb(1L << 40).memoryPerCpuMb(1L << 40).exclusive(true).build();
        Allocation wide = new Allocation(List.of(new Allocation.NodeSlots("n2-x", "node2", 1, 1 << 24, 0, 1L << 40)));
        JobRecord ran = new JobRecord(10, "k", huge, JobState.COMPLETED, null, 1, wide, true, 0, 0, T0,
                T0.plusSeconds(300), T0.plusSeconds(365));
        assertEquals(List.of("10|" + Long.MAX_VALUE + "M"), reqMem(ran));
    }
}
