package dev.cadre.node.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Netstrings ({@code LENGTH:BYTES,}): fields any bytes may be in, framed so that a few lines of Perl read them
 * (cadre-rsh's requests, the job launcher's). Strings go as UTF-8.
 */
public final class Netstrings {
    private Netstrings() {
    }

    public static byte[] encode(List<String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : fields) {
            write(out, field.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static void write(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
        out.write(',');
    }
}
