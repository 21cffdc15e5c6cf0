package dev.cadre.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker URL of the head this node last found over mDNS, kept in its state directory. A restarted node (an
 * upgrade, a reboot) joins that head as soon as it is announced again ({@link dev.cadre.node.core.HeadSightings}):
 * listening out the discovery window would make a restart outlast a short node timeout and fail the node's jobs.
 * Only the first browse of a run uses it; a later one looks because that head was lost, and must see every head
 * announced. The file is only compared with announced addresses, never connected to.
 */
public final class LastHead {
    static final String FILE = "last-head";
    private static final Logger LOG = LoggerFactory.getLogger(LastHead.class);
    private final Path file;
    private final AtomicBoolean browsed = new AtomicBoolean();

    public LastHead(Path stateDir) {
        this.file = stateDir.resolve(FILE);
    }

    /** The head found last, on the first call of this run; null after it, or when none is recorded. */
    String forFirstBrowse() {
        if (browsed.getAndSet(true) || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            String url = Files.readString(file, StandardCharsets.UTF_8).strip();
            return url.isEmpty() ? null : url;
        } catch (IOException e) {
            LOG.debug("reading {}: {}", file, e.toString());
            return null;
        }
    }

    /** Records the one head found; a failure costs the next restart the discovery window, nothing more. */
    void found(String brokerUrl) {
        try {
            Path next = file.resolveSibling(FILE + ".new");
            Files.writeString(next, brokerUrl + "\n", StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("could not record the head found in {} ({}); the next restart listens the whole discovery"
                    + " window again", file, e.toString());
        }
    }
}
