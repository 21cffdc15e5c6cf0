package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadRecordTest {
    private static Map<String, String> txt(String cluster, String broker) {
        Map<String, String> txt = new HashMap<>();
        txt.put("v", "1");
        if (cluster != null) {
            txt.put("cluster", cluster);
        }
        if (broker != null) {
            txt.put("broker", broker);
        }
        return txt;
    }

    @Test
    void aRecordSurvivesItsOwnTxtKeys() {
        HeadRecord head = new HeadRecord("lab-1", "tcp://10.213.0.10:61616");
        assertEquals(head, HeadRecord.parse(head.txt()));
        assertEquals(new HeadRecord("c", "tcp://head.example.org:1"), HeadRecord.parse(txt("c", "tcp://head.example.org:1")));
    }

    @Test
    void brokerAddressesWithParametersOrOtherSchemesAreRefused() {
        for (String bad : new String[] {"tcp://10.0.0.1:61616?sslEnabled=false", "udp://10.0.0.1:61616",
                "tcp://10.0.0.1", "tcp://10.0.0.1:0", "tcp://10.0.0.1:65536", "tcp://10.0.0.1:99999",
                "tcp://300.1.1.1:61616", "tcp://-bad-.host:1", "tcp://a..b:1", "tcp://[::1]:61616",
                "tcp://user@10.0.0.1:1", "tcp://10.0.0.1:1\ntcp://evil:1", "", "tcp://" + "a".repeat(300) + ":1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HeadRecord.parse(txt("cadre", bad)), bad);
            assertTrue(e.getMessage().startsWith("broker address"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "control characters are escaped in " + e.getMessage());
        }
    }

    @Test
    void missingKeysUnknownVersionsAndBadClusterNamesAreRefusedWithTheReason() {
        assertEquals("broker address (missing) is not tcp://HOST:PORT",
                assertThrows(IllegalArgumentException.class, () -> HeadRecord.parse(txt("cadre", null))).getMessage());
        Map<String, String> v2 = txt("cadre", "tcp://10.0.0.1:1");
        v2.put("v", "2");
        assertEquals("unsupported record version '2'",
                assertThrows(IllegalArgumentException.class, () -> HeadRecord.parse(v2)).getMessage());
        for (String cluster : new String[] {null, "", "-x", "a b", "x".repeat(64), "ä"}) {
            assertThrows(IllegalArgumentException.class, () -> HeadRecord.parse(txt(cluster, "tcp://10.0.0.1:1")));
        }
    }
}
