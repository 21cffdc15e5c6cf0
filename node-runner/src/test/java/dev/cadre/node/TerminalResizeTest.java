package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.TerminalSize;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The node's side of exec-resize, on real processes: util-linux's script makes the terminal, as srun --pty's does. */
class TerminalResizeTest {
    @Test
    void theControllingTerminalIsTheSeventhFieldCountedFromTheNamesEnd() {
        assertEquals(34816, TerminalResize.controllingTerminal(
                "27174 (bash) S 27170 27174 27174 34816 27174 4194560 402 0 0 0"));
        assertEquals(34817, TerminalResize.controllingTerminal("5 (a) b (c) S 1 5 5 34817 5 0"),
                "a name with spaces and parentheses");
        assertEquals(0, TerminalResize.controllingTerminal("9 (java) S 1 9 9 0 -1 0"));
        assertEquals(0, TerminalResize.controllingTerminal("9 (cut"));
        assertEquals(0, TerminalResize.controllingTerminal("9 (x) S 1"));
    }

    @Test
    void theCommandsPseudoTerminalTakesTheSizeAndItsShellIsSignalled() throws Exception {
        Process p = new ProcessBuilder("script", "-qefc", "stty rows 10 cols 40; exec bash -c 'trap \"w=1\" WINCH;"
                + " echo ready; i=0; while [ -z \"$w\" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done;"
                + " size=$(stty size); /bin/true; echo winched=$w size=$size lines=$LINES'", "/dev/null")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            assertEquals("ready", line == null ? null : line.strip(), "the command at its terminal");
            List<Long> pids = new ArrayList<>(List.of(p.pid()));
            p.descendants().forEach(d -> pids.add(d.pid()));
            assertTrue(TerminalResize.terminalOf(pids).orElseThrow().toString().matches("/dev/pts/\\d+"));
            assertNull(TerminalResize.apply(pids, new TerminalSize(50, 132)));
            line = out.readLine();
            assertEquals("winched=1 size=50 132 lines=50", line == null ? null : line.strip());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void processesWithoutATerminalAreLeftAlone() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        try {
            assertEquals("none of its processes has a pseudo-terminal",
                    TerminalResize.apply(List.of(p.pid(), ProcessHandle.current().pid()), new TerminalSize(5, 5)));
        } finally {
            p.destroyForcibly();
        }
    }
}
