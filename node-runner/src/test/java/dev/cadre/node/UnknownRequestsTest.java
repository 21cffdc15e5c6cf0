package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ExecMessage;
import jakarta.jms.Destination;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Which agents of requests a runner does not run are answered, and when. */
class UnknownRequestsTest {
    private final AtomicLong nanos = new AtomicLong();
    private final UnknownRequests unknown = new UnknownRequests("n2", nanos::get);
    private final Destination agent = new Destination() { };
    private static final Function<String, Optional<JobProcesses>> NOT_ADOPTED = id -> Optional.empty();
    private static final Function<String, Optional<ExecMessage.ExecExit>> NOT_ENDED = id -> Optional.empty();

    private void pass(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void aCommandAdoptedAfterItsFirstKeepaliveIsNotTakenForUnknown() throws Exception {
        AtomicReference<Optional<JobProcesses>> adopted = new AtomicReference<>(Optional.empty());
        // Keepalives queued while no runner ran come before the adoption.
        unknown.heard("r1", agent);
        assertEquals(Map.of(), unknown.due(id -> false, id -> adopted.get(), NOT_ENDED));
        Process command = new ProcessBuilder("sleep", "300").start();
        try {
            adopted.set(Optional.of(new JobProcesses.Session(JobProcesses.Leader.identify(command.pid()))));
            for (int i = 0; i < 5; i++) {
                pass(Duration.ofSeconds(1));
                unknown.heard("r1", agent);
                assertEquals(Map.of(), unknown.due(id -> false, id -> adopted.get(), NOT_ENDED),
                        "not answered while the adopted command runs, past " + UnknownRequests.UNKNOWN_FOR);
            }
        } finally {
            command.destroyForcibly();
            assertTrue(command.waitFor(30, TimeUnit.SECONDS));
        }
        Map<ExecMessage.ExecExit, Destination> answered = unknown.due(id -> false, id -> adopted.get(), NOT_ENDED);
        assertEquals(1, answered.size());
        ExecMessage.ExecExit exit = answered.keySet().iterator().next();
        assertEquals(255, exit.exitCode());
        assertTrue(exit.error().contains("the node-runner on n2 restarted while the command ran"), exit.error());
        assertEquals(agent, answered.get(exit));
    }

    /** An adopted command that ended: its recorded exit waits until what it wrote has been relayed, which goes first. */
    @Test
    void anAdoptedCommandsExitWaitsForItsOutputToBeRelayed() {
        ExecMessage.ExecExit recorded = new ExecMessage.ExecExit("r5", 7, 0, null);
        AtomicReference<Boolean> relaying = new AtomicReference<>(true);
        unknown.heard("r5", agent);
        pass(UnknownRequests.UNKNOWN_FOR);
        Function<String, Optional<ExecMessage.ExecExit>> ended = id -> Optional.of(recorded);
        assertEquals(Map.of(), unknown.due(id -> false, id -> relaying.get(), NOT_ADOPTED, ended));
        relaying.set(false);
        assertEquals(Map.of(recorded, agent), unknown.due(id -> false, id -> relaying.get(), NOT_ADOPTED, ended));
    }

    @Test
    void aRequestNothingHereKnowsIsAnsweredOnceItStayedUnknownLongEnough() {
        unknown.heard("r2", agent);
        pass(UnknownRequests.UNKNOWN_FOR.minusMillis(1));
        assertEquals(Map.of(), unknown.due(id -> false, NOT_ADOPTED, NOT_ENDED));
        pass(Duration.ofMillis(1));
        Map<ExecMessage.ExecExit, Destination> answered = unknown.due(id -> false, NOT_ADOPTED, NOT_ENDED);
        assertEquals(1, answered.size());
        String error = answered.keySet().iterator().next().error();
        assertTrue(error.contains("does not know this command: its request never reached this node"), error);
        assertFalse(error.contains("restarted)"), "nothing says a restart happened: " + error);
        assertEquals(Map.of(), unknown.due(id -> false, NOT_ADOPTED, NOT_ENDED), "answered once");
    }

    @Test
    void aCommandThatEndedHereIsAnsweredWithItsOwnExitAgainAndAReleasedOneNotAtAll() {
        ExecMessage.ExecExit lost = new ExecMessage.ExecExit("r3", 3, 0, null);
        unknown.heard("r3", agent);
        unknown.heard("r4", agent);
        unknown.forget("r4");
        pass(UnknownRequests.UNKNOWN_FOR);
        Map<ExecMessage.ExecExit, Destination> answered = unknown.due(id -> false, NOT_ADOPTED,
                id -> id.equals("r3") ? Optional.of(lost) : Optional.empty());
        assertEquals(Map.of(lost, agent), answered, "the exit lost on its way, again; nothing for the released one");
    }
}
