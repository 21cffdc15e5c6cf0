package dev.cadre.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time limit a set-time-limit gave a running attempt, kept in its directory beside the place-job: a node-runner
 * restarted while the attempt runs adopts it from that directory, and must enforce the limit it was last given,
 * not the place-job's.
 */
final class AttemptTimeLimit {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptTimeLimit.class);
    static final String FILE = "time-limit";

    private AttemptTimeLimit() {
    }

    /** Replaces what was kept, whole: a runner killed meanwhile finds the old limit or the new one. */
    static void keep(AttemptDirectory dir, long seconds) throws IOException {
        Path kept = dir.dir().resolve(FILE);
        Path next = dir.dir().resolve(FILE + ".new");
        Files.writeString(next, Long.toString(seconds), StandardCharsets.US_ASCII);
        Files.move(next, kept, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The limit kept, in seconds from the attempt's start; empty when none was given since its place-job. */
    static OptionalLong kept(AttemptDirectory dir) {
        Path kept = dir.dir().resolve(FILE);
        String text;
        try {
            text = Files.readString(kept, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            LOG.warn("{}: cannot read the attempt's updated time limit ({}); enforcing its place-job's", kept,
                    e.toString());
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            LOG.warn("{}: holds no time limit ('{}'); enforcing the place-job's", kept, text);
            return OptionalLong.empty();
        }
    }
}
