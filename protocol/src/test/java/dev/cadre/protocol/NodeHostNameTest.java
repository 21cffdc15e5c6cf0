package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodeHostNameTest {
    @Test
    void takesRfc1123NamesShortOrQualified() {
        for (String ok : List.of("h1", "node-07", "n01", "Gpu7", "7", "worker1.cluster.example.org", "a.b",
                "x".repeat(63), "a" + ".b".repeat(126))) {
            assertTrue(NodeHostName.isValid(ok), ok);
        }
    }

    @Test
    void refusesWhatBreaksAHostfileAHostListOrExecNodesNamingTheName() {
        for (String bad : List.of("odd,name=x", "node:1", "a=b", "two words", "n[1-3]", "under_score", "-lead",
                "trail-", "a..b", ".a", "a.", "semi;colon", "tab\tname", "x".repeat(64), "a" + ".b".repeat(127),
                "café")) {
            assertFalse(NodeHostName.isValid(bad), bad);
        }
        assertEquals("the host name is empty", NodeHostName.problem("").orElseThrow());
        assertTrue(NodeHostName.problem(null).isPresent());
        assertTrue(NodeHostName.problem("odd,name=x").orElseThrow().contains("'odd,name=x'"));
        assertTrue(NodeHostName.problem("a\nb").orElseThrow().contains("'a?b'"), "control characters not printed");
    }

    /** A valid name survives the host list both ways, which is what sacct and SLURM_JOB_NODELIST rely on. */
    @Test
    void everyValidNameIsItsOwnHostList() {
        for (String name : List.of("h1", "node-07", "worker1.cluster.example.org", "10-20", "a-1")) {
            assertTrue(NodeHostName.isValid(name));
            assertEquals(List.of(name), HostList.expand(name));
            assertEquals(List.of(name, "zz"), HostList.expand(HostList.compress(List.of(name, "zz"))));
        }
    }
}
