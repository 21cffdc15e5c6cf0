package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * squeue --start and sbatch --test-only against a head's answers to GET and POST /api/jobs/starts: a forecast the
 * head cannot give for now (503, too many forecasts waiting or the scheduler stopping) fails the command, naming the
 * refusal, rather than show no estimates; the processors sbatch says a job would use are those the head would give
 * it, an exclusive job's nodes' whole count.
 */
class StartForecastCommandsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
    private static final String PENDING = "[{\"id\":5,\"name\":\"w\",\"user\":\"alice\",\"state\":\"PENDING\","
            + "\"reason\":\"Resources\",\"nodes\":1,\"tasks\":1,\"cpus\":1,\"submitTime\":\"2026-11-24T09:00:00Z\"}]";
    private static final String BUSY = "16 start forecasts are being planned or waiting to be, the most the scheduler"
            + " keeps waiting; nothing was planned for this one: ask again shortly";
    @TempDir
    Path dir;
    private StandInHead head;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        head.close();
    }

    /** A head answering the starts as given, and the jobs with a pending one; the one before it stopped. */
    private void head(StandInHead.Answer starts) throws Exception {
        if (head != null) {
            head.close();
        }
        out.reset();
        err.reset();
        head = StandInHead.start(dir, path -> path.equals("/api/jobs/starts") ? starts
                : new StandInHead.Answer(200, PENDING));
    }

    private static StandInHead.Answer refused(String code, String detail) {
        return new StandInHead.Answer(503, "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\","
                + "\"status\":503,\"detail\":\"" + detail + "\",\"code\":\"" + code + "\"}");
    }

    private int squeue(String... args) {
        return new SqueueCommand(stream(out), stream(err), head.config().toString(), CLOCK, Map.of())
                .run(List.of(args));
    }

    private int sbatch(String... args) {
        return new SlurmCommands(stream(out), stream(err), head.config().toString(), CLOCK).sbatch(List.of(args));
    }

    private static PrintStream stream(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }

    private List<Object> result(int rc) {
        return List.of(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void squeueStartFailsNamingTheRefusalWhenTheHeadCannotForecastForNow() throws Exception {
        head(refused("busy", BUSY));
        assertEquals(List.of(1, "", "squeue: error: no expected start times for now: " + BUSY + "\n"),
                result(squeue("--start")), "no table of unknown starts, and a failure a script sees");

        head(new StandInHead.Answer(404, "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                + "\"detail\":\"no route\"}"));
        assertEquals(0, squeue("-h", "--start"), err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8), "a head too old to plan: no estimates, silently");
    }

    @Test
    void aTrialTheHeadCannotPlanForNowIsAnAllocationFailureNamingTheRefusal() throws Exception {
        head(refused("stopping", "the scheduler is stopping; nothing was planned"));
        assertEquals(List.of(1, "", "allocation failure: Resource temporarily unavailable\nsbatch: error: the"
                + " scheduler is stopping; nothing was planned\n"), result(sbatch("--test-only", "--wrap", "true")));
    }

    @Test
    void aTrialSaysTheProcessorsTheHeadWouldGiveTheJob() throws Exception {
        head(new StandInHead.Answer(200, "{\"starts\":[{\"jobId\":12,\"start\":\"2026-11-24T11:00:00Z\","
                + "\"nodes\":[\"n1\",\"n2\"],\"cpus\":32}],\"notPlanned\":null}"));
        assertEquals(List.of(0, "", "sbatch: Job 12 to start at 2026-11-24T11:00:00 using 32 processors on nodes"
                + " n[1-2] in partition batch\n"), result(sbatch("--test-only", "--exclusive", "-N", "2", "-n", "2",
                "--wrap", "true")), "two exclusive nodes of 16 CPUs, not the 2 the tasks ask");

        head(new StandInHead.Answer(200, "{\"starts\":[{\"jobId\":12,\"start\":\"2026-11-24T11:00:00Z\","
                + "\"nodes\":[\"n1\"]}],\"notPlanned\":null}"));
        assertEquals(List.of(0, "", "sbatch: Job 12 to start at 2026-11-24T11:00:00 using 6 processors on nodes"
                + " n1 in partition batch\n"), result(sbatch("--test-only", "-n", "3", "-c", "2", "--wrap", "true")),
                "a head that does not say: what the job asks");
    }
}
