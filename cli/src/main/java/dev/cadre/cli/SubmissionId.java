package dev.cadre.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * A random submission id for one submission, in UUID form. Read from /dev/urandom directly: SecureRandom's
 * first use loads the security providers, which costs a short command more than the rest of its start.
 */
final class SubmissionId {
    private SubmissionId() {
    }

    static String fresh() {
        byte[] b = new byte[16];
        try (InputStream in = Files.newInputStream(Path.of("/dev/urandom"))) {
            if (in.readNBytes(b, 0, 16) < 16) {
                throw new IOException("short read");
            }
        } catch (IOException e) {
            new SecureRandom().nextBytes(b);
        }
        // Version 4 (random) and the IETF variant, as UUID.randomUUID makes them.
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new UUID(bb.getLong(), bb.getLong()).toString();
    }
}
