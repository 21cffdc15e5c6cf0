package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.web.JobSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sacct's State of a cancelled job, as Slurm's: "CANCELLED by UID" with the uid of the user who cancelled it (the
 * REST API's cancelledBy) as this machine knows it, the name when no account here has it, plain CANCELLED when
 * nobody is known; the batch step plain CANCELLED. Filters, widths and -p/-P work on it as on any state.
 */
class SacctCancelledByTest {
    private static final Instant T0 = Instant.parse("2026-03-10T14:00:00Z");
    private static final JobSpec SPEC = JobSpec.builder().name("sim").user("alice").script("#!/bin/sh\n")
            .workDir("/w").build();
    private static final Allocation ON_NODE2 = new Allocation(List.of(new Allocation.NodeSlots("n2-x", "node2", 1,
            2, 0, 0)));
    /** A name no machine has an account of. */
    private static final String STRANGER = "no-such-user-cadre";
    private final String me = System.getProperty("user.name");
    private String myUid;
    private StandInHead head;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        myUid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        id.waitFor();
        JobRecord killed = new JobRecord(7, "k7", SPEC, JobState.CANCELLED, "CancelledByUser", 1, ON_NODE2, true, 0,
                15, T0, T0.plusSeconds(60), T0.plusSeconds(120));
        JobRecord byStranger = new JobRecord(8, "k8", SPEC, JobState.CANCELLED, "CancelledByUser", 0, null, false,
                null, null, T0, null, T0.plusSeconds(30));
        JobRecord byNobody = new JobRecord(9, "k9", SPEC, JobState.CANCELLED, "DependencyNeverSatisfied", 0, null,
                false, null, null, T0, null, T0.plusSeconds(30));
        JobRecord done = new JobRecord(10, "k10", SPEC, JobState.COMPLETED, null, 1, ON_NODE2, true, 0, 0, T0,
                T0.plusSeconds(60), T0.plusSeconds(70));
        String list = "[" + String.join(",", MessageCodec.encodeValue(JobSummary.listed(killed, me)),
                MessageCodec.encodeValue(JobSummary.listed(byStranger, STRANGER)),
                MessageCodec.encodeValue(JobSummary.listed(byNobody, null)),
                MessageCodec.encodeValue(JobSummary.listed(done, null))) + "]";
        head = StandInHead.start(dir, path -> new StandInHead.Answer(200, list));
    }

    @AfterEach
    void stop() {
        head.close();
    }

    private String sacct(String... args) {
        return SacctUsageRequestsTest.sacct(head, T0.plusSeconds(600), args);
    }

    @Test
    void theStateNamesWhoCancelledByUidOrByNameAndTheStepIsPlainCancelled() {
        assertEquals("7|CANCELLED by " + myUid + "\n7.batch|CANCELLED\n8|CANCELLED by " + STRANGER + "\n"
                + "9|CANCELLED\n10|COMPLETED\n10.batch|COMPLETED\n",
                sacct("-j", "7,8,9,10", "-n", "-P", "-o", "JobID,State"));
        assertEquals("7|CANCELLED by " + myUid + "|0:15|\n8|CANCELLED by " + STRANGER + "|0:0|\n9|CANCELLED|0:0|\n"
                + "10|COMPLETED|0:0|\n", sacct("-j", "7,8,9,10", "-X", "-n", "-p", "-o", "JobID,State,ExitCode"));
    }

    @Test
    void aStateFilterTakesEveryCancelledJobWhoeverCancelledIt() {
        assertEquals("7\n8\n9\n", sacct("-j", "7,8,9,10", "-X", "-n", "-P", "-s", "CA", "-o", "JobID"));
        assertEquals("7\n8\n9\n", sacct("-j", "7,8,9,10", "-X", "-n", "-P", "--state=CANCELLED", "-o", "JobID"));
        assertEquals("10\n", sacct("-j", "7,8,9,10", "-X", "-n", "-P", "-s", "CD", "-o", "JobID"));
    }

    @Test
    void theFixedWidthCutsItAsSlurmDoesAndAWiderColumnShowsItWhole() {
        assertEquals(String.format("%-12s %10s %n%-12s %10s %n%-12s %10s %n%-12s %10s %n", 7, "CANCELLED+", 8,
                "CANCELLED+", 9, "CANCELLED", 10, "COMPLETED"), sacct("-j", "7,8,9,10", "-X", "-n", "-o",
                "JobID,State"));
        assertEquals(String.format("%40s %n%40s %n%40s %n%40s %n", "CANCELLED by " + myUid, "CANCELLED by "
                + STRANGER, "CANCELLED", "COMPLETED"), sacct("-j", "7,8,9,10", "-X", "-n", "-o", "State%40"));
    }
}
