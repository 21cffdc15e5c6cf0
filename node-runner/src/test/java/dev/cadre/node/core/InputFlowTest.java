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
        assertTrue(in.accept(2L * K64 + 1, 1, false).error().contains("input at byte 131073 out of order: 131072"
                + " bytes were taken"));
        assertTrue(in.accept(2L * K64, K64 + 1, false).error().contains("of 65537 bytes; the most is 65536"));
        assertTrue(in.accept(2L * K64, 3, true).take());
        assertTrue(in.accept(2L * K64 + 3, 1, false).error().contains("after its end"));
        in.close();
        InputIntake.Verdict late = in.accept(2L * K64 + 3, 1, false);
        assertFalse(late.take());
        assertNull(late.error(), "input on its way when the command closed its input is dropped quietly");
    }

    @Test
    void inputSentAgainIsTakenFromWhereTheNodeIsAndWhatItTookIsSkipped() {
        InputIntake in = new InputIntake(2L * K64);
        assertEquals(new InputIntake.Verdict(true, null, 0), in.accept(0, 10, false));
        assertEquals(new InputIntake.Verdict(false, null, 0), in.accept(0, 10, false), "all taken: dropped quietly");
        assertEquals(new InputIntake.Verdict(true, null, 6), in.accept(4, 10, false), "bytes 10-13 are new");
        assertTrue(in.accept(20, 1, false).error().contains("input at byte 20 out of order: 14 bytes were taken"),
                "a gap is refused");
        assertEquals(new InputIntake.Verdict(true, null, 4), in.accept(10, 4, true), "the end, its data taken");
        assertEquals(new InputIntake.Verdict(false, null, 0), in.accept(10, 4, true), "the end again: dropped");
        assertTrue(in.accept(14, 1, false).error().contains("after its end"));
    }

    @Test
    void theClientKeepsWhatTheNodeHasNotAcknowledgedAndTheEndUntilTheInputCloses() {
        InputReplay replay = new InputReplay();
        replay.sent(0, new byte[] {1, 2}, false);
        replay.sent(2, new byte[] {3}, false);
        replay.sent(3, new byte[0], true);
        replay.acknowledged(2, false);
        assertEquals(java.util.List.of(2L, 3L), replay.unacknowledged().stream().map(InputReplay.Piece::offset)
                .toList());
        replay.acknowledged(3, false);
        assertEquals(1, replay.unacknowledged().size(), "the end stays until the node closes the input");
        assertTrue(replay.unacknowledged().get(0).end());
        replay.acknowledged(3, true);
        assertEquals(java.util.List.of(), replay.unacknowledged());
    }
}
