package dev.cadre.node;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A remote command's stdout and stderr as its agent receives them ({@link ExecClient#run}), kept whole. */
final class CollectedOutput implements ExecClient.Output {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Override
    public synchronized void stdout(byte[] data) {
        out.writeBytes(data);
    }

    @Override
    public synchronized void stderr(byte[] data) {
        err.writeBytes(data);
    }

    synchronized String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    synchronized String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
