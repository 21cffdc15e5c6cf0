package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Kills asked for once the runner stops are left to the next runner: none runs, none throws, none stays counted. */
class SessionKillsTest {
    @Test
    void afterTheStopAKillIsLeftAndNothingThrows() {
        SessionKills kills = new SessionKills();
        kills.close();
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<Void> done = kills.ofAttempt(7, 1, List.of(() -> ran.set(true)));
        kills.execute(() -> ran.set(true));
        assertTrue(done.isDone() && !done.isCompletedExceptionally(), "" + done);
        assertFalse(ran.get(), "a kill ran after the stop");
        assertEquals(List.of(), kills.stopping());
    }
}
