package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** records.db's job keys: the column added to a file of a runner before them, whose rows stay readable. */
class RecordsJobKeyTest {
    @TempDir
    Path state;

    private static RunnerEvent finished(long id) {
        return new RunnerEvent.RunnerFinished(id, 1, "n1", 0, 0, null, Instant.parse("2026-01-01T00:00:00Z"), null);
    }

    private static NodeCommand.PlaceJob place(long id, String jobKey) {
        JobSpec spec = JobSpec.builder().user("alice").script("true").workDir("/w").build();
        return new NodeCommand.PlaceJob(id, 1, spec,
                new Allocation(List.of(new Allocation.NodeSlots("n1", "h1", 1, 1, 0, 0))), "tok", null, jobKey);
    }

    @Test
    void aFileWithoutJobKeysGainsTheColumnAndItsRowsAnswerOnlyUnkeyedPlaceJobs() throws Exception {
        // As a runner before job keys made it.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + state.resolve(AttemptRecordStore.FILE));
             Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE ended_attempt (job_id INTEGER NOT NULL, attempt INTEGER NOT NULL,"
                    + " written_ms INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (job_id, attempt)) WITHOUT ROWID");
            s.executeUpdate("CREATE TABLE output_record (job_id INTEGER NOT NULL, attempt INTEGER NOT NULL,"
                    + " written_ms INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (job_id, attempt)) WITHOUT ROWID");
            s.executeUpdate("INSERT INTO ended_attempt VALUES (3, 1, " + System.currentTimeMillis() + ", '"
                    + MessageCodec.encode(finished(3)) + "')");
            s.executeUpdate("INSERT INTO output_record VALUES (3, 1, " + System.currentTimeMillis() + ", "
                    + "'{\"stdout\":\"/w/slurm-3.out\"}')");
        }
        try (EndedAttempts ended = new EndedAttempts(state); OutputRecords outputs = new OutputRecords(state)) {
            EndedAttempts.Ended old = ended.findEnded(3, 1).orElseThrow();
            assertEquals(new EndedAttempts.Ended(null, finished(3)), old);
            assertFalse(old.answers(place(3, "k3")), "a row without a key answered a keyed place-job");
            assertTrue(old.answers(place(3, null)), "a head before keys must still get its repeat answered");
            assertEquals(Path.of("/w/slurm-3.out"), outputs.find(3, 1).orElseThrow().stdout());

            ended.record(4, 1, "k4", finished(4));
            outputs.rememberAll(List.of(place(4, "k4")));
        }
        try (EndedAttempts reopened = new EndedAttempts(state)) {
            EndedAttempts.Ended kept = reopened.findEnded(4, 1).orElseThrow();
            assertEquals("k4", kept.jobKey());
            assertTrue(kept.answers(place(4, "k4")));
            assertFalse(kept.answers(place(4, "another")));
            reopened.forget(4, 1);
            assertEquals(Optional.empty(), reopened.findEnded(4, 1));
            assertEquals(Optional.of(finished(3)), reopened.find(3, 1), "the forgetting touched another attempt");
        }
    }
}
