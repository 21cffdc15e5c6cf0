package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the node-runner writes to its job launcher and reads back (job-launcher.pl is the other side). */
class LauncherWireTest {
    private static LauncherWire.Launch launch(Map<String, String> env, List<String> command) {
        return new LauncherWire.Launch(7, Path.of("/s/status"), Path.of("/s/claim"), Path.of("/w d"), null,
                Path.of("/w d/o\n.txt"), null, true, env, command);
    }

    @Test
    void aRequestIsOneNetstringOfNetstringsCountedInBytes() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("A", "x=y\nz");
        env.put("É", "");
        String wire = new String(launch(env, List.of("/bin/sh", "é")).encode(), StandardCharsets.UTF_8);
        String fields = "6:launch,1:7,9:/s/status,8:/s/claim,0:,0:,4:/w d,9:/dev/null,11:/w d/o\n.txt,0:,1:1,1:2,"
                + "1:A,5:x=y\nz,2:É,0:,7:/bin/sh,2:é,";
        assertEquals(fields.getBytes(StandardCharsets.UTF_8).length + ":" + fields + ",", wire);
    }

    @Test
    void whatExecCannotCarryIsRefusedBeforeItIsSent() {
        assertThrows(IllegalArgumentException.class, () -> launch(Map.of("A=B", "1"), List.of("x")).encode());
        assertThrows(IllegalArgumentException.class, () -> launch(Map.of("", "1"), List.of("x")).encode());
        assertThrows(IllegalArgumentException.class, () -> launch(Map.of("A", "1\0"), List.of("x")).encode());
        assertThrows(IllegalArgumentException.class, () -> launch(Map.of(), List.of("x\0y")).encode());
        assertThrows(IllegalArgumentException.class, () -> launch(Map.of(), List.of()).encode());
    }

    @Test
    void theCpusGoAfterTheCgroupAndOnlyAsAListOfIds() {
        String wire = new String(new LauncherWire.Launch(7, Path.of("/s/status"), Path.of("/s/claim"), Path.of("/w"),
                null, Path.of("/o"), null, false, Map.of(), List.of("x"), Path.of("/cg"), "0,3").encode(),
                StandardCharsets.UTF_8);
        assertEquals("85:6:launch,1:7,9:/s/status,8:/s/claim,3:/cg,3:0,3,2:/w,9:/dev/null,2:/o,0:,1:0,1:0,1:x,,", wire);
        for (String bad : List.of("0-3", "0,", ",1", "a", "1 2", "12345")) {
            assertThrows(IllegalArgumentException.class, () -> new LauncherWire.Launch(7, Path.of("/s"),
                    Path.of("/c"), Path.of("/w"), null, Path.of("/o"), null, false, Map.of(), List.of("x"), null, bad),
                    bad);
        }
    }

    @Test
    void answersAreReadWithWaitStatusesAsExitValues() {
        assertEquals(new LauncherWire.Ready(), LauncherWire.answer("ready"));
        assertEquals(new LauncherWire.Started(3, 4242), LauncherWire.answer("started 3 4242"));
        assertEquals(new LauncherWire.Refused(3, "cannot open /a b: No such file"),
                LauncherWire.answer("failed 3 cannot open /a b: No such file"));
        assertEquals(new LauncherWire.Ended(4242, 3), LauncherWire.answer("ended 4242 768"));
        assertEquals(new LauncherWire.Ended(4242, 137), LauncherWire.answer("ended 4242 9"));
        assertEquals(new LauncherWire.Ended(4242, 134), LauncherWire.answer("ended 4242 134"), "SIGABRT, core");
        for (String bad : List.of("", "ready now", "started 3", "started x 4", "ended 1", "hello 1 2")) {
            assertThrows(IllegalArgumentException.class, () -> LauncherWire.answer(bad), bad);
        }
    }
}
