package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every job on a node reaches its relay socket: an agent's failure goes only to the attempt whose token it gave. */
class AgentFailuresTest {
    private static final String TOKEN_7 = "7".repeat(64);
    private static final String TOKEN_8 = "8".repeat(64);
    @TempDir
    Path dir;

    private static NodeCommand.PlaceJob place(long jobId, String token) {
        return new NodeCommand.PlaceJob(jobId, 1, JobSpec.builder().name("mpi").user("alice")
                .script("#!/bin/sh\ntrue\n").workDir("/tmp").build(),
                new Allocation(List.of(new Allocation.NodeSlots("n1", "alpha", 1, 1, 0, 0))), token);
    }

    private AgentFailures failures() throws Exception {
        HeldAttempts held = new HeldAttempts("n1", new ExecRecords(dir.resolve("exec")));
        held.hold(place(7, TOKEN_7));
        held.hold(place(8, TOKEN_8));
        return new AgentFailures(held);
    }

    @Test
    void aFailureIsKeptForTheAttemptWhoseTokenTheAgentGave() throws Exception {
        AgentFailures failures = failures();
        failures.note("8", "1", TOKEN_8, "cadre rsh: beta did not answer within 10 s");
        assertEquals("cadre rsh: beta did not answer within 10 s", failures.take(8, 1));
        assertNull(failures.take(8, 1), "forgotten once taken");
    }

    @Test
    void anotherJobsTokenIsRefusedNamingTheProblemAndChangesNothing() throws Exception {
        AgentFailures failures = failures();
        failures.note("7", "1", TOKEN_7, "cadre rsh: the real failure");
        var forged = assertThrows(IllegalArgumentException.class,
                () -> failures.note("7", "1", TOKEN_8, "cadre rsh: host EVIL TEXT is not part of job 7"));
        assertEquals("an agent's failure was not recorded for job 7 attempt 1: wrong exec token for job 7 attempt 1",
                forged.getMessage());
        assertEquals("cadre rsh: the real failure", failures.take(7, 1));
    }

    @Test
    void anAttemptNotHeldHereOrIdsThatAreNoNumbersAreRefused() throws Exception {
        AgentFailures failures = failures();
        assertEquals("an agent's failure was not recorded for job 9 attempt 1: job 9 attempt 1 is not running on"
                + " node n1", assertThrows(IllegalArgumentException.class, () -> failures.note("9", "1", TOKEN_7, "x"))
                        .getMessage());
        assertNull(failures.take(9, 1));
        assertEquals("an agent's failure was not recorded: its job id '7;x' or attempt '1' is not a number",
                assertThrows(IllegalArgumentException.class, () -> failures.note("7;x", "1", TOKEN_7, "x"))
                        .getMessage());
        failures.note("", "", "", "an agent outside any job: nothing to keep, nothing wrong");
        assertNull(failures.take(7, 1));
    }
}
