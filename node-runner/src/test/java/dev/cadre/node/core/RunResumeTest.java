package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which resumes a restarted runner's relay takes up, waits on, or refuses. */
class RunResumeTest {
    private static final UUID RANDOM = UUID.fromString("0b8e2a52-6f3c-4d7e-9a1b-2c3d4e5f6a7b");
    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    private static final Instant LATER = NOW.plusSeconds(10);

    private static ExecTarget resume(String job, String runId) {
        return ExecTarget.resolve(new RelayWire.Request(job, "1", "tok", "h1=n1,h2=n2", List.of("h2", "orted"),
                runId), runId);
    }

    @Test
    void aNewRunsIdNamesItsAttemptAndReplacesTheRequestsId() {
        ExecTarget resolved = ExecTarget.resolve(new RelayWire.Request("42", "3", "tok", "h1=n1,h2=n2",
                List.of("h2", "orted", "-mca"), ""), "placeholder");
        ExecTarget run = RunResume.newRun(resolved, RANDOM);
        assertEquals("42.3." + RANDOM, run.request().requestId());
        assertEquals(resolved.request().command(), run.request().command());
        assertEquals("n2", run.nodeId());
    }

    @Test
    void aRunOfTheAgentsOwnHeldAttemptIsResumed() {
        String id = RunResume.newRunId(7, 1, RANDOM);
        assertEquals(new RunResume.Resume(id), RunResume.judge(resume("7", id), true, null, NOW, LATER));
    }

    @Test
    void anAttemptNotHeldYetIsWaitedForThenRefusedNamingWhy() {
        String id = RunResume.newRunId(7, 1, RANDOM);
        String why = "job 7 attempt 1 is not running on node n1";
        assertInstanceOf(RunResume.Wait.class, RunResume.judge(resume("7", id), false, why, NOW, LATER));
        RunResume.Refuse late = assertInstanceOf(RunResume.Refuse.class, RunResume.judge(resume("7", id), false,
                why, LATER, LATER));
        assertEquals("cannot resume run " + id + ": " + why, late.reason());
    }

    @Test
    void aWrongTokenIsRefusedAtOnce() {
        String id = RunResume.newRunId(7, 1, RANDOM);
        RunResume.Refuse r = assertInstanceOf(RunResume.Refuse.class, RunResume.judge(resume("7", id), true,
                "wrong exec token for job 7 attempt 1", NOW, LATER));
        assertTrue(r.reason().endsWith("wrong exec token for job 7 attempt 1"), r.reason());
    }

    @Test
    void anotherJobsRunIsRefusedEvenWithAGoodToken() {
        String id = RunResume.newRunId(8, 1, RANDOM);
        RunResume.Refuse r = assertInstanceOf(RunResume.Refuse.class, RunResume.judge(resume("7", id), true, null,
                NOW, LATER));
        assertEquals("cannot resume run " + id + ": it belongs to job 8 attempt 1, not to job 7 attempt 1 of this"
                + " agent", r.reason());
    }

    @Test
    void garbageIdsAreRefusedNamingTheProblem() {
        for (String garbage : List.of("x", "7.1", "7.1." + RANDOM + "x", "7.1." + RANDOM.toString().toUpperCase(),
                "7.1.\u00e9\n", "99999999999999999999.1." + RANDOM)) {
            RunResume.Refuse r = assertInstanceOf(RunResume.Refuse.class, RunResume.judge(resume("7", garbage),
                    true, null, NOW, LATER), garbage);
            assertTrue(r.reason().contains("not a run id a relay gives"), r.reason());
            assertTrue(r.reason().chars().allMatch(c -> c >= 0x20 && c < 0x7f), r.reason());
        }
    }
}
