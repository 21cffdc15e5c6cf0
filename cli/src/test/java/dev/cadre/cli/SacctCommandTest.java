package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.cli.slurm.SacctRow;
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

/** sacct's rows for a job and, with -D, for each earlier run of a requeued job. */
class SacctCommandTest {
    private static final JobSpec SPEC = JobSpec.builder().name("sim").user("alice").script("#!/bin/sh\n")
            .workDir("/w").build();
    private static final Instant T0 = Instant.parse("2026-03-10T14:00:00Z");
    private static final Allocation NODE2 = new Allocation(List.of(new Allocation.NodeSlots("n2-x", "node2", 1, 1,
            0, 0)));
    private static final AttemptRecord REQUEUED = new AttemptRecord(7, 1, "node1", T0.plusSeconds(60),
            T0.plusSeconds(120), JobState.REQUEUED, null, 15, null);
    private static final AttemptRecord LOST = new AttemptRecord(7, 2, "node3", T0.plusSeconds(180),
            T0.plusSeconds(200), JobState.NODE_FAIL, null, null, "node3 stopped answering");

    private static JsonNode json(JobRecord j, List<AttemptRecord> attempts) {
        return MessageCodec.mapper().valueToTree(JobSummary.of(j, attempts));
    }

    @Test
    void aCompletedThirdRunShowsTheTwoBeforeIt() {
        AttemptRecord third = new AttemptRecord(7, 3, "node2", T0.plusSeconds(300), T0.plusSeconds(360),
                JobState.COMPLETED, 0, 0, null);
        JobRecord done = new JobRecord(7, "k", SPEC, JobState.COMPLETED, null, 3, NODE2, true, 0, 0, T0,
                T0.plusSeconds(300), T0.plusSeconds(360));
        List<AttemptRecord> attempts = List.of(REQUEUED, LOST, third);
        List<SacctRow> earlier = SacctCommand.earlierRuns(json(done, null), json(done, attempts), ZoneOffset.UTC);
        assertEquals(List.of(
                new SacctRow("7", "7", "sim", "batch", "", 1, "REQUEUED", 0, 15, "node1", "2026-03-10T14:01:00",
                        "2026-03-10T14:02:00"),
                new SacctRow("7", "7", "sim", "batch", "", 1, "NODE_FAIL", 0, 0, "node3", "2026-03-10T14:03:00",
                        "2026-03-10T14:03:20")), earlier);
        assertEquals(new SacctRow("7", "7", "sim", "batch", "", 1, "COMPLETED", 0, 0, "node2", "2026-03-10T14:05:00",
                "2026-03-10T14:06:00"), SacctCommand.row(json(done, null), ZoneOffset.UTC));
    }

    @Test
    void aJobWaitingAfterARequeueShowsTheRunItHadAndItsPendingSelf() {
        JobRecord waiting = new JobRecord(7, "k", SPEC, JobState.PENDING, "Requeued", 1, null, false, null, null, T0,
                null, null);
        assertEquals(List.of(new SacctRow("7", "7", "sim", "batch", "", 1, "REQUEUED", 0, 15, "node1",
                "2026-03-10T14:01:00", "2026-03-10T14:02:00")),
                SacctCommand.earlierRuns(json(waiting, null), json(waiting, List.of(REQUEUED)), ZoneOffset.UTC));
        assertEquals(new SacctRow("7", "7", "sim", "batch", "", 1, "PENDING", 0, 0, "None assigned", "Unknown",
                "Unknown"), SacctCommand.row(json(waiting, null), ZoneOffset.UTC));
    }
}
