package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ResourceUsage;
import dev.cadre.web.JobSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sacct against a head answering as the REST API does (JobSummary's JSON): the usage fields read each shown job's
 * attempts from GET /api/jobs/ID, one request per job that has run; without them sacct stays one request.
 */
class SacctUsageRequestsTest {
    private static final Instant T0 = Instant.parse("2026-03-10T14:00:00Z");
    private static final JobSpec SPEC = JobSpec.builder().name("sim").user("alice").script("#!/bin/sh\n")
            .workDir("/w").build();
    private static final Allocation ON_NODE2 = new Allocation(List.of(new Allocation.NodeSlots("n2-x", "node2", 1,
            2, 0, 0)));
    private StandInHead head;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        JobRecord done = new JobRecord(7, "k7", SPEC, JobState.COMPLETED, null, 1, ON_NODE2, true, 0, 0, T0,
                T0.plusSeconds(60), T0.plusSeconds(120));
        List<AttemptRecord> attempts = List.of(new AttemptRecord(7, 1, "node2", T0.plusSeconds(60),
                T0.plusSeconds(120), JobState.COMPLETED, 0, 0, null, new ResourceUsage(1_234_567L, 100_000L,
                73_400_320L)));
        JobRecord waiting = new JobRecord(8, "k8", SPEC, JobState.PENDING, "Resources", 0, null, false, null, null,
                T0, null, null);
        // Its history pruned between the list and its own read: GET /api/jobs/9 is 404.
        JobRecord pruned = new JobRecord(9, "k9", SPEC, JobState.COMPLETED, null, 1, ON_NODE2, true, 0, 0, T0,
                T0.plusSeconds(60), T0.plusSeconds(70));
        String list = "[" + MessageCodec.encodeValue(JobSummary.of(done, null)) + ","
                + MessageCodec.encodeValue(JobSummary.of(waiting, null)) + ","
                + MessageCodec.encodeValue(JobSummary.of(pruned, null)) + "]";
        String detail = MessageCodec.encodeValue(JobSummary.detail(done, attempts));
        head = StandInHead.start(dir, path -> path.equals("/api/jobs") ? new StandInHead.Answer(200, list)
                : path.equals("/api/jobs/7") ? new StandInHead.Answer(200, detail)
                : new StandInHead.Answer(404, "{\"status\":404,\"detail\":\"no such job\"}"));
    }

    @AfterEach
    void stop() {
        head.close();
    }

    private String sacct(String... args) {
        return sacct(head, T0.plusSeconds(600), args);
    }

    /** sacct against a stand-in head, at a fixed time: what it prints, after checking that it exits 0. */
    static String sacct(StandInHead head, Instant now, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new SacctCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), head.config().toString(),
                Clock.fixed(now, ZoneOffset.UTC)).run(List.of(args));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainSacctIsOneRequest() {
        assertEquals("7|COMPLETED\n7.batch|COMPLETED\n8|PENDING\n9|COMPLETED\n9.batch|COMPLETED\n",
                sacct("-j", "7,8,9", "-n", "-P", "-o", "JobID,State"));
        assertEquals(List.of("/api/jobs"), head.asked);
    }

    @Test
    void usageFieldsReadTheAttemptsOfEachJobThatRan() {
        assertEquals("7|00:01.334|00:01.234|00:00.100|||\n"
                + "7.batch|00:01.334|00:01.234|00:00.100|70M|node2|0\n"
                + "8||||||\n"
                + "9||||||\n"
                + "9.batch||||||\n", sacct("-j", "7,8,9", "-n", "-P", "-o",
                "JobID,TotalCPU,UserCPU,SystemCPU,MaxRSS,MaxRSSNode,MaxRSSTask"));
        assertEquals(List.of("/api/jobs", "/api/jobs/7", "/api/jobs/9"), head.asked,
                "the job that never ran has no attempts to read; one gone meanwhile shows as listed");
    }

    @Test
    void unitsAndNoconvertShapeMaxRss() {
        assertEquals("7.batch|71680K\n", sacct("-j", "7", "-n", "-P", "-o", "JobID,MaxRSS", "--units=K")
                .lines().filter(l -> l.startsWith("7.batch")).map(l -> l + "\n").findFirst().orElse(""));
        assertEquals("7.batch|73400320\n", sacct("-j", "7", "-n", "-P", "-o", "JobID,MaxRSS", "--noconvert")
                .lines().filter(l -> l.startsWith("7.batch")).map(l -> l + "\n").findFirst().orElse(""));
    }
}
