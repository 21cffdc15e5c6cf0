package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An attempt whose directory cannot be written is reported failed, on its first place-job and on every repeat. */
class UnwritableAttemptIntegrationTest {
    @TempDir
    Path state;
    @TempDir
    Path work;
    private final List<RunnerEvent> events = new CopyOnWriteArrayList<>();
    private JobSupervisor supervisor;

    @AfterEach
    void tearDown() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    @Test
    void aPlaceJobWhoseAttemptDirectoryCannotBeWrittenIsReportedFailedAndSoIsItsRepeat() throws Exception {
        supervisor = new JobSupervisor(state, "n1", Duration.ofSeconds(2), "test", events::add, Clock.systemUTC());
        NodeCommand.PlaceJob place = AttemptDirectoryTest.unwritable(31, work);
        supervisor.launch(place);
        var failed = (RunnerEvent.RunnerFailed) events.get(0);
        assertTrue(failed.error().startsWith("cannot create the attempt's directory on n1: "), failed.error());
        assertFalse(Files.exists(AttemptDirectory.of(state.resolve("jobs"), 31, 1)));
        // As a redelivery after a rollback, or the scheduler's repeat: answered, not ignored.
        supervisor.launch(place);
        assertEquals(List.of(failed, failed), events);
    }
}
