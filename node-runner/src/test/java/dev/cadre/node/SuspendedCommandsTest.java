package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.RunnerEvent.RunningAttempt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The marks of suspended remote commands, as a runner started again reads them; no processes (none to signal). */
class SuspendedCommandsTest {
    @TempDir
    Path dir;

    /** Counts the listings a step asks for: each one a signal's round. */
    private final AtomicInteger listings = new AtomicInteger();

    private List<JobProcesses> none() {
        listings.incrementAndGet();
        return List.of();
    }

    private List<JobProcesses> none(RunningAttempt attempt) {
        return none();
    }

    @Test
    void aSuspendIsKeptForTheNextRunnerUntilTheResume() throws Exception {
        SuspendedCommands first = new SuspendedCommands(dir);
        first.apply(7, 1, true, this::none);
        assertTrue(first.contains(7, 1));
        assertTrue(Files.exists(dir.resolve("7-1.suspended")));

        SuspendedCommands next = new SuspendedCommands(dir); // a kill -9, then a start
        assertFalse(next.contains(7, 1), "read only at the adoption");
        listings.set(0);
        assertEquals(Set.of(new RunningAttempt(7, 1)), next.adopt(this::none));
        assertTrue(next.contains(7, 1));
        assertEquals(1, listings.get(), "its commands stopped again: the last runner may have died before its signals");

        next.apply(7, 1, false, this::none);
        assertFalse(next.contains(7, 1));
        assertFalse(Files.exists(dir.resolve("7-1.suspended")));
        assertEquals(Set.of(), new SuspendedCommands(dir).adopt(this::none));
    }

    @Test
    void aRepeatedSuspendSignalsAgainAndAResumeOfNothingSuspendedSignalsNothing() throws Exception {
        SuspendedCommands s = new SuspendedCommands(dir);
        s.apply(7, 1, false, this::none);
        assertEquals(0, listings.get(), "a resume of what the node did not suspend");
        s.apply(7, 1, true, this::none);
        s.apply(7, 1, true, this::none);
        assertEquals(2, listings.get());
        assertTrue(s.contains(7, 1));
    }

    @Test
    void marksOfAttemptsNoLongerHeldAreForgottenAndOtherFilesLeftAlone() throws Exception {
        SuspendedCommands first = new SuspendedCommands(dir);
        first.apply(7, 1, true, this::none);
        first.apply(8, 2, true, this::none);
        Files.writeString(dir.resolve("8-2.held"), "");
        Files.writeString(dir.resolve("junk.suspended"), "");

        SuspendedCommands next = new SuspendedCommands(dir);
        assertEquals(Set.of(new RunningAttempt(7, 1), new RunningAttempt(8, 2)), next.adopt(this::none));
        next.forgetUnless(a -> a.jobId() == 8);
        assertFalse(next.contains(7, 1));
        assertFalse(Files.exists(dir.resolve("7-1.suspended")));
        assertTrue(next.contains(8, 2));
        assertTrue(Files.exists(dir.resolve("junk.suspended")));

        next.forget(8, 2);
        assertFalse(Files.exists(dir.resolve("8-2.suspended")));
        assertTrue(Files.exists(dir.resolve("8-2.held")));
    }
}
