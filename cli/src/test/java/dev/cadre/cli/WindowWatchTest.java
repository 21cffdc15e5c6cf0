package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.TerminalSize;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** SIGWINCH, sent to this JVM as the kernel sends it at a resize, hands each new size on once. */
class WindowWatchTest {
    private static void winch() throws Exception {
        Process kill = new ProcessBuilder("kill", "-WINCH", Long.toString(ProcessHandle.current().pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue());
    }

    @Test
    void eachNewSizeIsHandedOnOnceAtTheSignal() throws Exception {
        AtomicReference<TerminalSize> now = new AtomicReference<>(new TerminalSize(24, 80));
        LinkedBlockingQueue<Object> handed = new LinkedBlockingQueue<>();
        try (WindowWatch watch = WindowWatch.start(new TerminalSize(24, 80), now::get, handed::add)) {
            now.set(new TerminalSize(50, 132));
            winch();
            assertEquals(new TerminalSize(50, 132), handed.poll(10, TimeUnit.SECONDS));
            // The same size again, then an unknown one (stty failed): nothing; then a new one.
            winch();
            now.set(null);
            winch();
            now.set(new TerminalSize(30, 90));
            winch();
            assertEquals(new TerminalSize(30, 90), handed.poll(10, TimeUnit.SECONDS));
            assertTrue(handed.isEmpty(), "handed on more: " + handed);
        }
    }
}
