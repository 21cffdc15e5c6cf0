package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A node refuses to start with a host name its jobs' hostfiles and host lists could not hold. */
class NodeHostnameOptionTest {
    private static LongOptions node(String... args) throws LongOptions.UsageException {
        return new LongOptions(List.of(args), Daemons.NODE_OPTIONS, Set.of());
    }

    @Test
    void theOptionWinsOverTheMachinesName() throws Exception {
        assertEquals("worker1", DaemonOptions.nodeHostname(node("--hostname", "worker1"), "my_box"));
        assertEquals("vm", DaemonOptions.nodeHostname(node(), "vm"));
    }

    @Test
    void aBadNameStopsTheNodeNamingTheOptionOrTheMachine() throws Exception {
        for (String bad : List.of("odd,name=x", "node:1", "", "a b")) {
            LongOptions.UsageException e = assertThrows(LongOptions.UsageException.class,
                    () -> DaemonOptions.nodeHostname(node("--hostname", bad), "vm"));
            assertTrue(e.getMessage().startsWith("--hostname: the host name"), e.getMessage());
        }
        LongOptions.UsageException machine = assertThrows(LongOptions.UsageException.class,
                () -> DaemonOptions.nodeHostname(node(), "my_box"));
        assertTrue(machine.getMessage().contains("'my_box'") && machine.getMessage().endsWith("--hostname"),
                machine.getMessage());
        LongOptions.UsageException up = assertThrows(LongOptions.UsageException.class,
                () -> DaemonOptions.checkLocalNodeHostname("my_box"));
        assertTrue(up.getMessage().contains("'my_box'") && up.getMessage().contains("cadre node --hostname"),
                up.getMessage());
    }
}
