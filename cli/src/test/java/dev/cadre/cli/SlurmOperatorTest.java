package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What only an operator may ask of sbatch and scontrol update, refused before any head is asked. */
class SlurmOperatorTest {
    /** Names no head: a request that got as far as the API would fail another way. */
    private static final String NO_HEAD = "/nonexistent/client.json";

    private record Run(int rc, String err) {
    }

    private static Run sbatch(boolean operator, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new SlurmCommands(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), NO_HEAD).sbatch(List.of(args), operator);
        return new Run(rc, err.toString(StandardCharsets.UTF_8));
    }

    private static Run scontrol(boolean operator, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new ScontrolCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), NO_HEAD, Clock.systemUTC())
                .run(List.of(args), operator, Map.of());
        return new Run(rc, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aUserMayNotSetAPriorityANegativeNiceOrADeadline() {
        for (String option : List.of("--priority=100", "--nice=-5")) {
            Run r = sbatch(false, option, "--wrap", "true");
            assertEquals(1, r.rc(), option);
            assertTrue(r.err().startsWith("sbatch: error: Batch job submission failed: Access/permission denied\n"
                    + "sbatch: error: only root or the head's owner may"), option + ": " + r.err());
        }
        for (String setting : List.of("Priority=999", "Nice=-10", "Deadline=now+1hour")) {
            Run r = scontrol(false, "update", "JobId=7", setting);
            assertEquals(1, r.rc(), setting);
            assertTrue(r.err().startsWith("slurm_update error: Access/permission denied\n"), setting + ": " + r.err());
        }
    }

    @Test
    void onlyAnOperatorMayRaiseATimeLimit() throws Exception {
        var refused = assertThrows(dev.cadre.cli.slurm.SlurmUsageException.class,
                () -> SlurmOperator.checkTimeLimit(false, 600L, 601, "slurm_update error"));
        assertEquals(List.of("slurm_update error: Access/permission denied", "only root or the head's owner may raise"
                + " a job's time limit (600 s to 601 s); a user may lower it"), refused.lines());
        SlurmOperator.checkTimeLimit(false, 600L, 600, "slurm_update error");
        SlurmOperator.checkTimeLimit(false, null, 600, "slurm_update error");
        SlurmOperator.checkTimeLimit(true, 600L, 6000, "slurm_update error");
    }

    @Test
    void aUserMayLowerItsOwnJobsAndAnOperatorMayDoEither() {
        // Past the check, these reach for the head, which this test does not have.
        for (Run r : List.of(sbatch(false, "--nice=5", "--wrap", "true"), sbatch(true, "--priority=100", "--wrap",
                "true"), scontrol(false, "update", "JobId=7", "Nice=10"), scontrol(true, "update", "JobId=7",
                "Priority=5"), scontrol(true, "update", "JobId=7", "Deadline=now+1hour"))) {
            assertTrue(!r.err().contains("Access/permission denied") && r.err().contains(NO_HEAD), r.err());
        }
    }
}
