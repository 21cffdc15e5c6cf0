package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The window the relay sends input within, and what the node takes of it (protocol.md 13.10). */
class InputFlowTest {
    private static final int K64 = RelayWire.MAX_DATA;

    @Test
    void nothingIsSentBeforeTheNodeTakesInputNorBeyondTheWindow() throws InterruptedException {
        InputWindow w = new InputWindow(2L * K64);
        assertEquals(-1, w.take(10, 0), "not before the command runs with a pipe");
        w.open();
        assertEquals(0, w.take(K64, 0));
        assertEquals(K64, w.take(K64, 0));
        assertEquals(-1, w.take(1, 0), "the window is full");
        assertFalse(w.closed());
        assertNull(w.acknowledge(K64, false));
        assertEquals(2L * K64, w.take(K64, 0));
        assertEquals(2L * K64, w.peak());
        assertEquals(3L * K64, w.sent());
    }

    @Test
    void anAcknowledgementOutsideWhatWasSentChangesNothing() throws InterruptedException {
        InputWindow w = new InputWindow(K64);
        w.open();
        w.take(100, 0);
        assertTrue(w.acknowledge(101, false).contains("outside the 0-100"));
        assertNull(w.acknowledge(50, false));
        assertTrue(w.acknowledge(40, false).contains("outside the 50-100"));
        assertEquals(100, w.take(K64 - 50, 0));
        assertEquals(-1, w.take(1, 0));
    }

    @Test
    void aClosedWindowLetsTheWaiterGoWithoutRoom() throws Exception {
        InputWindow w = new InputWindow(K64);
        w.open();
        w.take(K64, 0);
        Thread closer = new Thread(() -> w.acknowledge(10, true));
        closer.start();
        assertEquals(-1, w.take(1, 30_000));
        closer.join();
        assertTrue(w.closed());
    }

    @Test
    void theNodeTakesInputInOrderWithinTheWindowAndNothingAfterItsEnd() {
        InputIntake in = new InputIntake(2L * K64);
        assertTrue(in.accept(0, K64, false).take());
        assertTrue(in.accept(K64, K64, false).take());
        assertTrue(in.accept(2L * K64, 1, false).error().contains("would leave 131073 bytes unwritten, over the"
                + " window of 131072"));
        in.wrote(K64);
        assertTrue(in.accept(0, 1, false).error().contains("input at byte 0 out of order: 131072 bytes were taken"));
        assertTrue(in.accept(2L * K64, K64 + 1, false).error().contains("of 65537 bytes; the most is 65536"));
        assertTrue(in.accept(2L * K64, 3, true).take());
        assertTrue(in.accept(2L * K64 + 3, 1, false).error().contains("after its end"));
        in.close();
        InputIntake.Verdict late = in.accept(2L * K64 + 3, 1, false);
        assertFalse(late.take());
        assertNull(late.error(), "input on its way when the command closed its input is dropped quietly");
    }
}
