package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HostListTest {
    @Test
    void expandsTheExamplesOfSlurmsDocumentation() {
        assertEquals(List.of("linux1", "linux2", "linux3", "linux6"), HostList.expand("linux[1-3,6]"));
        assertEquals(List.of("node1", "node2", "node3", "node4", "node5", "node12"),
                HostList.expand("node1,node[2-5,12]"));
        assertEquals(13, HostList.expand("tux[0-5,12,20-25]").size());
        assertEquals(List.of("tux1", "tux2"), HostList.expand("tux1 tux2"));
    }

    @Test
    void keepsZeroPaddingAndOrder() {
        assertEquals(List.of("n01", "n02", "n03"), HostList.expand("n[01-03]"));
        assertEquals(List.of("n9", "n10"), HostList.expand("n[9-10]"));
        assertEquals(List.of("n098", "n099", "n100"), HostList.expand("n[098-100]"));
        assertEquals(List.of("n5", "n1", "n2"), HostList.expand("n[5,1-2]"));
        assertEquals(List.of("rack1-n1", "rack1-n2", "rack2-n1", "rack2-n2"), HostList.expand("rack[1-2]-n[1-2]"));
        assertEquals(List.of("n1-ib", "n2-ib"), HostList.expand("n[1-2]-ib"));
        assertEquals(List.of("10-20"), HostList.expand("10-20"));
    }

    @Test
    void compressesAsSlurmPrintsIt() {
        assertEquals("node[1-3,5],gpu07", HostList.compress(List.of("node1", "node2", "node3", "node5", "gpu07")));
        assertEquals("n[01-03]", HostList.compress(List.of("n01", "n02", "n03")));
        assertEquals("n[9-11]", HostList.compress(List.of("n9", "n10", "n11")));
        assertEquals("n[1,02]", HostList.compress(List.of("n1", "n02")));
        assertEquals("n[3,1-2]", HostList.compress(List.of("n3", "n1", "n2")));
        assertEquals("node1", HostList.compress(List.of("node1")));
        assertEquals("a,b.example.com", HostList.compress(List.of("a", "b.example.com")));
        assertEquals("n1,gpu1,n2", HostList.compress(List.of("n1", "gpu1", "n2")));
        assertEquals("", HostList.compress(List.of()));
    }

    @Test
    void compressingThenExpandingGivesTheHostsBack() {
        Random random = new Random(4);
        String[] prefixes = {"n", "node", "gpu-", "r1n", ""};
        for (int round = 0; round < 500; round++) {
            List<String> hosts = new ArrayList<>();
            int size = 1 + random.nextInt(12);
            for (int i = 0; i < size; i++) {
                int n = random.nextInt(3) == 0 ? random.nextInt(120) : hosts.size() + 1;
                String digits = random.nextBoolean() ? String.format("%03d", n) : Integer.toString(n);
                hosts.add(prefixes[random.nextInt(prefixes.length)] + digits);
            }
            String compressed = HostList.compress(hosts);
            assertEquals(hosts, HostList.expand(compressed), compressed);
        }
    }

    @Test
    void refusesHostileOrBrokenExpressionsWithAReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostList.expand("h[1-999999999]"))
                .getMessage().contains("more than 65536 hosts"));
        assertThrows(IllegalArgumentException.class, () -> HostList.expand("a[1-1000]b[1-1000]"));
        assertThrows(IllegalArgumentException.class, () -> HostList.expand("h[1-99999999999999999999]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostList.expand("h[1-3"))
                .getMessage().contains("without its ']'"));
        assertThrows(IllegalArgumentException.class, () -> HostList.expand("h1-3]"));
        assertThrows(IllegalArgumentException.class, () -> HostList.expand("h[[1]]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostList.expand("h[3-1]"))
                .getMessage().contains("backwards"));
        assertThrows(IllegalArgumentException.class, () -> HostList.expand("h[a-b]"));
        assertThrows(IllegalArgumentException.class, () -> HostList.expand("h[]"));
        assertThrows(IllegalArgumentException.class, () -> HostList.expand("a,,b"));
        assertThrows(IllegalArgumentException.class, () -> HostList.expand("a;rm -rf /"));
        assertThrows(IllegalArgumentException.class, () -> HostList.expand(null));
        assertEquals(3, HostList.expand("h[1-3]", 3).size());
        assertThrows(IllegalArgumentException.class, () -> HostList.expand("h[1-3],x", 3));
    }
}
