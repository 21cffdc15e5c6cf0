package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Who is given a job's exec token, and the words of every refusal. */
class ExecGrantsTest {
    private static final BiFunction<Long, Integer, String> TOKENS = (id, attempt) -> "t" + id + "." + attempt;
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

    private static JobRecord pending() {
        return new JobRecord(7, "k7", JobSpec.builder().user("alice").script("#!/bin/sh\n").workDir("/tmp").build(),
                JobState.PENDING, "None", 0, null, false, null, null, T, null, null);
    }

    private static JobRecord running() {
        return pending().started(2, new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0, 0),
                new Allocation.NodeSlots("n2", "host2", 1, 1, 0, 0))), T);
    }

    private static ClientReply.ExecGrantResult ask(JobRecord job, String user) {
        return ExecGrants.answer(new ClientRequest.ExecGrant(7, user), job, TOKENS);
    }

    @Test
    void theUserOfARunningJobGetsItsAttemptsTokenAndNodesFirstNodeFirst() {
        ClientReply.ExecGrantResult g = ask(running(), "alice");
        assertEquals(new ClientReply.ExecGrantResult(7, true, 2, "t7.2", List.of(
                new ClientReply.ExecGrantResult.GrantedNode("host1", "n1"),
                new ClientReply.ExecGrantResult.GrantedNode("host2", "n2")), null), g);
        assertTrue(ask(running(), "root").ok(), "Slurm's administrator reaches any job");
    }

    @Test
    void anotherUserAJobNotRunningAnUnknownJobAndNoUserAreRefusedWithNothingGranted() {
        ClientReply.ExecGrantResult theirs = ask(running(), "bob");
        assertFalse(theirs.ok());
        assertNull(theirs.token());
        assertNull(theirs.nodes());
        assertEquals("job 7 is alice's, not bob's: only a job's own user may run commands in it", theirs.reason());
        assertEquals("job 7 is PENDING, not RUNNING: commands run in a job only while it runs",
                ask(pending(), "alice").reason());
        assertEquals("job 7 is COMPLETED, not RUNNING: commands run in a job only while it runs",
                ask(running().ended(JobState.COMPLETED, null, 0, null, T), "alice").reason());
        assertEquals("job 7 is unknown: no job has that id", ask(null, "alice").reason());
        assertTrue(ask(running(), null).reason().startsWith("user must be the user name of who asks"));
        assertFalse(ask(running(), "bob smith").ok());
    }
}
