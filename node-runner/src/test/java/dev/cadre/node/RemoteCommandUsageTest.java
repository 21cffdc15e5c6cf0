package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ResourceUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage of an attempt's remote commands, as the relay counts it, in a real attempt directory. */
class RemoteCommandUsageTest {
    private static final ResourceUsage RANK = new ResourceUsage(500_000L, 20_000L, 60_000_000L);
    private static final ResourceUsage DAEMON = new ResourceUsage(30_000L, 10_000L, null);

    @Test
    void eachCommandsUsageAddsUpForTheAttemptsEnd(@TempDir Path dir) {
        RemoteCommandUsage usage = new RemoteCommandUsage(dir, false);
        assertTrue(usage.add(RANK));
        assertTrue(usage.add(DAEMON));
        assertEquals(new ResourceUsage(530_000L, 30_000L, 60_000_000L), usage.close());
    }

    @Test
    void noneToldIsNoUsage(@TempDir Path dir) {
        assertNull(new RemoteCommandUsage(dir, false).close());
        assertNull(new RemoteCommandUsage(dir, true).close(), "an adopted attempt with no file");
    }

    @Test
    void anExitThatComesOnceTheEndIsBuiltIsNotCounted(@TempDir Path dir) {
        RemoteCommandUsage usage = new RemoteCommandUsage(dir, false);
        usage.add(RANK);
        assertEquals(RANK, usage.close());
        assertFalse(usage.add(DAEMON));
        assertEquals(RANK, usage.close());
    }

    @Test
    void aRestartedRunnerCountsOnFromWhatTheEarlierOneKept(@TempDir Path dir) {
        new RemoteCommandUsage(dir, false).add(RANK); // the earlier runner, killed after this
        RemoteCommandUsage adopted = new RemoteCommandUsage(dir, true);
        assertTrue(adopted.add(DAEMON));
        assertEquals(new ResourceUsage(530_000L, 30_000L, 60_000_000L), adopted.close());
        // A new attempt's directory holds no earlier sum: it is not even looked for.
        assertEquals(DAEMON, freshWith(dir, DAEMON));
    }

    @Test
    void aDamagedRecordCountsForNothingAndTheRestStands(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(RemoteCommandUsage.FILE), "530000 30");
        RemoteCommandUsage adopted = new RemoteCommandUsage(dir, true);
        adopted.add(DAEMON);
        assertEquals(DAEMON, adopted.close());
    }

    private static ResourceUsage freshWith(Path dir, ResourceUsage u) {
        RemoteCommandUsage fresh = new RemoteCommandUsage(dir, false);
        fresh.add(u);
        return fresh.close();
    }
}
