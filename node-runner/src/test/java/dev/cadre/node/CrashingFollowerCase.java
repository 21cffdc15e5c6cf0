package dev.cadre.node;

import dev.cadre.node.core.ProcessTracking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of a {@link CrashingFollower} over an in-VM broker, in a directory of its own; the node and the broker are
 * closed after each test, and the commands' {@code done} file written first, which ends those that wait for it.
 */
abstract class CrashingFollowerCase {
    static final Duration WAIT = CrashingFollower.WAIT;
    @TempDir
    Path dir;
    /** The commands' files: their pids, and what they wait for. */
    Path work;
    InVmBroker broker;
    CrashingFollower node;

    @BeforeEach
    void startBroker() throws Exception {
        work = Files.createDirectory(dir.resolve("work"));
        broker = InVmBroker.start(dir.resolve("broker"));
    }

    @AfterEach
    void closeNode() throws Exception {
        Files.writeString(work.resolve("done"), "");
        try (InVmBroker b = broker; CrashingFollower n = node) {
            // the node first (its commands killed, stopped or not), the broker last
        }
    }

    /** The test's node, tracking processes so. */
    CrashingFollower follower(ProcessTracking.Mode tracking) {
        node = new CrashingFollower(broker, dir, work, tracking);
        return node;
    }
}
