package dev.cadre.node;

import dev.cadre.node.core.AttemptUsage;
import dev.cadre.protocol.ResourceUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the remote commands of an attempt whose script this node runs used, as their exits told this node's relay
 * (protocol.md 13.7; {@link AgentUsage}): summed as {@link AttemptUsage#combined} does, for the attempt's
 * runner-finished. Kept in the attempt's directory too ({@value #FILE}, one line as {@link AttemptUsage#text}
 * writes it), so a runner restarted while the job ran still counts the commands that ended before; an exit that
 * reached the earlier runner's relay in the instant before its kill and was not yet written is lost. Closed once the
 * attempt's end is built: an exit that comes after that is not counted, since the end has gone or is going out.
 */
final class RemoteCommandUsage {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteCommandUsage.class);
    static final String FILE = "remote-usage";
    private final Path file;
    /** The sum so far; null while no command told any. Guarded by this. */
    private ResourceUsage sum;
    /** Whether {@link #file} still has to be read: an adopted attempt's may hold an earlier runner's sum. */
    private boolean unread;
    private boolean closed;

    /**
     * @param dir the attempt's directory
     * @param adopted whether an earlier runner may have kept a sum there; a new attempt's directory holds none, and
     *     its end costs no look for one
     */
    RemoteCommandUsage(Path dir, boolean adopted) {
        this.file = dir.resolve(FILE);
        this.unread = adopted;
    }

    /**
     * Counts a command's usage with the attempt's, kept on disk before this returns (the agent is told the exit
     * after that, and the attempt cannot end before its agents have).
     *
     * @return false, with nothing counted, when the attempt's end was already built
     */
    synchronized boolean add(ResourceUsage usage) {
        if (closed) {
            return false;
        }
        readIfUnread();
        sum = AttemptUsage.combined(sum, usage);
        if (sum != null) {
            write(sum);
        }
        return true;
    }

    /**
     * The sum so far, for a reading of the running attempt's usage (protocol.md 15.2); null while no command told any.
     * Counting goes on.
     */
    synchronized ResourceUsage sumSoFar() {
        readIfUnread();
        return sum;
    }

    /** The sum for the attempt's end (null when no command told any usage); nothing is counted after this. */
    synchronized ResourceUsage close() {
        closed = true;
        readIfUnread();
        return sum;
    }

    private void readIfUnread() {
        if (!unread) {
            return;
        }
        unread = false;
        try {
            String text = Files.readString(file);
            sum = AttemptUsage.parseText(text);
            if (sum == null) {
                LOG.warn("{}: no usage line ({}); the attempt's remote commands that ended before are not counted",
                        file, text.strip());
            }
        } catch (NoSuchFileException e) {
            // No command of it told any usage before the restart.
        } catch (IOException e) {
            LOG.warn("{}: cannot read it ({}); the attempt's remote commands that ended before are not counted", file,
                    e.toString());
        }
    }

    /** Whole or not at all: a runner killed mid-write leaves the earlier sum, or a partial file nobody reads. */
    private void write(ResourceUsage usage) {
        Path partial = file.resolveSibling(FILE + ".partial");
        try {
            Files.writeString(partial, AttemptUsage.text(usage) + "\n");
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Still counted in memory: only a restart before the attempt's end loses it.
            LOG.warn("cannot keep the usage of the attempt's remote commands in {}: {}", file, e.toString());
        }
    }
}
