package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.client.Submission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review 98, finding 1, end to end: a head and its node, cadre.db backed up while a job runs, the job completes,
 * and the head is restored from the backup as operations.md's "Backup and restore" says. The restored head
 * believes the job running; its node no longer lists it, and the head asks it (query-attempt) instead of
 * declaring it lost: the node answers from records.db and the job ends COMPLETED, having run once.
 */
class RestoredHeadIntegrationTest {
    @RegisterExtension
    static final InJvmHead head = new InJvmHead();

    private Path db() {
        return head.base.resolve("data/cadre.db");
    }

    private String query(String sql, long id) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading " + db() + ": " + e.getMessage(), e);
        }
    }

    private String state(long id) {
        return query("SELECT state FROM jobs WHERE id = ?", id);
    }

    @Test
    void aJobRunningAtTheBackupThatEndedSinceEndsAsItDidAndRunsOnce() throws Exception {
        Path runs = head.base.resolve("runs.txt");
        Path backup = head.base.resolve("backup.db");
        Submission s = head.client().submit(head.job("echo ran >> " + runs + "; sleep 3").build());
        long id = s.accepted().get(InJvmHead.WAIT.toSeconds(), TimeUnit.SECONDS);
        CadreProcess.await("job " + id + " to run", InJvmHead.WAIT, () -> "RUNNING".equals(state(id))
                && "1".equals(query("SELECT launch_confirmed FROM jobs WHERE id = ?", id)));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db())) {
            c.createStatement().execute("VACUUM INTO '" + backup + "'");
        }
        CadreProcess.await("job " + id + " to complete", InJvmHead.WAIT, () -> "COMPLETED".equals(state(id)));

        head.stop();
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(db() + suffix));
        }
        Files.copy(backup, db(), StandardCopyOption.REPLACE_EXISTING);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db())) {
            c.createStatement().execute("UPDATE job_id_mark SET highest = MAX(highest, " + id + ")");
        }
        assertEquals("RUNNING", state(id), "the backup holds the job running");
        head.start();

        CadreProcess.await("the restored head to decide on job " + id, InJvmHead.WAIT,
                () -> !"RUNNING".equals(state(id)));
        assertEquals("COMPLETED", state(id));
        assertEquals("1", query("SELECT COUNT(*) FROM job_attempts WHERE job_id = ?", id));
        assertEquals(List.of("ran"), Files.readAllLines(runs), "the job ran again");
    }
}
