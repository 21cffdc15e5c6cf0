package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.cli.slurm.UsageAnswers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sstat against a head answering GET /api/jobs/ID/usage as the REST API does: each job named read once, its rows on
 * stdout after the header, a job the head refuses (not running, unknown, its first node down) and a step other than
 * the batch step named on stderr with exit 1, the other jobs still shown.
 */
class SstatCommandTest {
    private static final String RUNNING = UsageAnswers.ONE_ANSWERED;
    /** A node-runner that reads virtual memory and disk bytes. */
    private static final String WITH_VM_AND_DISK = RUNNING.replace("\"jobId\": 42", "\"jobId\": 47").replace(
            "\"rssBytes\": 70254592,", "\"rssBytes\": 70254592, \"vmSizeBytes\": 312475648, \"diskReadBytes\": 1048576,"
            + " \"diskWriteBytes\": 52428800,");
    private static final String PENDING = "job 43 is PENDING: only a running job's usage can be read; sacct shows a"
            + " finished job's";
    private static final Map<String, StandInHead.Answer> ANSWERS = Map.of(
            "/api/jobs/42/usage", new StandInHead.Answer(200, RUNNING),
            "/api/jobs/46_3/usage", new StandInHead.Answer(200, RUNNING.replace("\"jobId\": 42", "\"jobId\": 57")),
            "/api/jobs/47/usage", new StandInHead.Answer(200, WITH_VM_AND_DISK),
            "/api/jobs/43/usage", new StandInHead.Answer(409, "{\"status\":409,\"detail\":\"" + PENDING + "\","
                    + "\"state\":\"PENDING\"}"),
            "/api/jobs/44/usage", new StandInHead.Answer(404, "{\"status\":404,\"detail\":\"no job 44\"}"),
            "/api/jobs/45/usage", new StandInHead.Answer(503, "{\"status\":503,\"detail\":\"job 45's first node"
                    + " node7 is DOWN\"}"));
    private static final StandInHead.Answer UNKNOWN = new StandInHead.Answer(404, "{\"status\":404,\"detail\":\"no\"}");
    private StandInHead head;
    private Path config;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        head = StandInHead.start(dir, path -> ANSWERS.getOrDefault(path, UNKNOWN));
        config = head.config();
    }

    @AfterEach
    void stop() {
        head.close();
    }

    private record Run(int exit, String out, String err) {
        /** The run with the warning about node2 of {@link #RUNNING} taken off stderr. */
        Run withoutNodeWarning() {
            return new Run(exit, out, err.replaceAll("sstat: warning: job \\d+: no figures from node2, left out:"
                    + " node2 did not answer within 5 s\n", ""));
        }
    }

    private Run sstat(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new SstatCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), config.toString()).run(List.of(args));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRunningJobIsOneBatchStepRowAndANodeThatDidNotAnswerIsNamed() {
        assertEquals(new Run(0, "JobID|AveCPU|MinCPUNode|MaxRSS|NTasks\n42.batch|00:01:02|node1|70M|1\n",
                "sstat: warning: job 42: no figures from node2, left out: node2 did not answer within 5 s\n"),
                sstat("-P", "-o", "JobID,AveCPU,MinCPUNode,MaxRSS,NTasks", "-j", "42"));
        assertEquals(List.of("/api/jobs/42/usage"), head.asked);
        assertEquals(new Run(0, "42.batch|00:01:02|\n", ""), sstat("-p", "-n", "-o", "JobID,MinCPU", "42.batch")
                .withoutNodeWarning(), "the first operand as -j, the step named");
        assertEquals(new Run(0, "57.batch|00:01:02\n", ""), sstat("-P", "-n", "-o", "JobID,AveCPU", "-j", "46_3")
                .withoutNodeWarning(), "an array task, read by its id, shown by the head's");
    }

    @Test
    void virtualMemoryAndDiskFieldsAreTakenBySlurmsNamesAndPrefixes() {
        assertEquals(new Run(0, "MaxVMSize|MaxVMSizeNode|AveDiskRead|MaxDiskWrite|MaxDiskWriteTask\n"
                + "298M|node1|1M|50M|0\n", ""), sstat("-P", "-o", "maxvmsize,MaxVMSizeN,avediskr,MAXDISKWRITE,"
                + "maxdiskwritet", "-j", "47").withoutNodeWarning());
        assertEquals(new Run(0, " MaxVMSize  MaxDiskRead \n---------- ------------ \n      298M           1M \n", ""),
                sstat("-o", "MaxVMSize,MaxDiskRead", "-j", "47").withoutNodeWarning(), "sstat's widths");
    }

    @Test
    void refusedJobsAndOtherStepsAreErrorsAndTheRestStillShow() {
        Run r = sstat("-P", "-o", "JobID,AveCPU", "-j", "43,42.0,44,42,45,42.extern");
        assertEquals("JobID|AveCPU\n42.batch|00:01:02\n", r.out());
        assertEquals("sstat: error: " + PENDING + "\n"
                + "sstat: error: 42.0 not found running: a Cadre job has only its batch step, 42.batch (which 42 alone"
                + " names too)\n"
                + "sstat: error: no job 44\n"
                + "sstat: warning: job 42: no figures from node2, left out: node2 did not answer within 5 s\n"
                + "sstat: error: job 45's first node node7 is DOWN\n"
                + "sstat: error: 42.extern not found running: a Cadre job has only its batch step, 42.batch (which 42"
                + " alone names too)\n", r.err());
        assertEquals(1, r.exit());
        assertEquals(List.of("/api/jobs/43/usage", "/api/jobs/44/usage", "/api/jobs/42/usage",
                "/api/jobs/45/usage"), head.asked, "no request for a step Cadre has not");
    }

    @Test
    void pidformatIsARowPerNodeThatAnswered() {
        assertEquals(new Run(0, "JobID|Nodelist|Pids\n42.batch|node1|48121,48133\n", ""),
                sstat("-i", "-P", "-j", "42").withoutNodeWarning());
    }

    @Test
    void badOptionsReadNoJob() {
        assertEquals(new Run(1, "", "sstat: invalid option -- 'x'\n"), sstat("-x", "-j", "42"));
        assertEquals(new Run(1, "", "sstat: error: Invalid field requested: \"Bogus\"\n"), sstat("-o", "Bogus",
                "-j", "42"));
        assertEquals(new Run(1, "", "sstat: error: You didn't give me any jobs to stat.\n"), sstat("-P"));
        assertEquals(0, sstat("--usage").exit());
        assertEquals(List.of(), head.asked);
    }

    @Test
    void aHeadThatCannotBeReachedIsOneErrorForAllJobs() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Files.writeString(config, "{\"httpUrl\":\"http://127.0.0.1:" + closed + "\",\"token\":\"t\"}");
        assertEquals(new Run(1, "", "sstat: error: cannot reach Cadre at http://127.0.0.1:" + closed
                + " (is 'cadre up' running?)\n"), sstat("-n", "-j", "42,43,44"));
    }
}
