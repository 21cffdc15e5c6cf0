package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** srun's input, read once and given whole to each task that reads it. */
class InputFanOutTest {
    @Test
    void everyReaderGetsEveryByteInOrder() throws Exception {
        byte[] data = new byte[InputFanOut.CHUNK * 10 + 17];
        new Random(7).nextBytes(data);
        InputFanOut fan = InputFanOut.start(new ByteArrayInputStream(data), 3);
        CompletableFuture<byte[]> a = read(fan.tap(0));
        CompletableFuture<byte[]> b = read(fan.tap(1));
        CompletableFuture<byte[]> c = read(fan.tap(2));
        assertArrayEquals(data, a.get(30, TimeUnit.SECONDS));
        assertArrayEquals(data, b.get(30, TimeUnit.SECONDS));
        assertArrayEquals(data, c.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aReaderThatClosesItsTapHoldsNobodyUp() throws Exception {
        byte[] data = new byte[InputFanOut.CHUNK * (InputFanOut.QUEUED * 3)];
        InputFanOut fan = InputFanOut.start(new ByteArrayInputStream(data), 2);
        fan.tap(0).close(); // as head(1) does, or a task that ended
        assertEquals(data.length, read(fan.tap(1)).get(30, TimeUnit.SECONDS).length);
        assertEquals(-1, fan.tap(0).read());
    }

    @Test
    void closingATapWakesItsReader() throws Exception {
        PipedOutputStream quiet = new PipedOutputStream();
        InputFanOut fan = InputFanOut.start(new PipedInputStream(quiet), 1);
        CompletableFuture<byte[]> reading = read(fan.tap(0));
        fan.tap(0).close();
        assertEquals(0, reading.get(30, TimeUnit.SECONDS).length);
        quiet.close();
    }

    private static CompletableFuture<byte[]> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
