package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExecGrantRequestsTest {
    @Test
    void aRefusedUserNameCannotForgeALogLine() {
        assertEquals("bob?2026-11-25 INFO granted exec in job 1 to root",
                ExecGrantRequests.loggable("bob\n2026-11-25 INFO granted exec in job 1 to root"));
        assertEquals("x".repeat(64) + "...", ExecGrantRequests.loggable("x".repeat(500)));
        assertEquals("(no user)", ExecGrantRequests.loggable(null));
    }
}
