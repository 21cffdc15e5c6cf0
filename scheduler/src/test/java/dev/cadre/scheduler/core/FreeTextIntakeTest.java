package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.NodeRecord;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A drain's reason and an update's job name come over the bus as sent: the core refuses terminal controls and bidi
 * characters in them (protocol.md 4.6) with the field and the character named, and changes nothing.
 */
class FreeTextIntakeTest {
    private static final Map<String, String> HOSTILE = Map.of(
            "\u001b[31mx", "contains U+001B (escape, a control character) at character 1",
            "abcd\u202eevil", "contains U+202E (a bidi override) at character 5",
            "disk\u2066swap", "contains U+2066 (a bidi isolate) at character 5",
            "csi\u009b2J", "contains U+009B (a C1 control character) at character 4");
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    private NodeRecord n1() {
        return s.core.nodes().stream().filter(n -> n.id().equals("n1")).findFirst().orElseThrow();
    }

    @Test
    void aDrainWhoseReasonCarriesControlsOrBidiCharactersIsRefusedAndTheNodeStaysAsItWas() {
        s.node("n1", 4);
        HOSTILE.forEach((reason, why) -> {
            var o = s.core.nodeControl().drain(new ControlRequest.DrainNode("n1", reason, "root"));
            assertFalse(o.result().ok());
            assertEquals("reason: " + why, o.result().reason());
            assertTrue(o.decisions().isEmpty());
            assertNull(n1().drain());
        });
        var ok = s.core.nodeControl().drain(new ControlRequest.DrainNode("n1", "Überprüfung 检修", "root"));
        assertTrue(ok.result().ok(), ok.result().toString());
    }

    @Test
    void anUpdateNamingAJobWithControlsOrBidiCharactersIsRefusedAndTheNameStays() {
        long job = s.submit(CoreScenario.spec().name("sim"));
        HOSTILE.forEach((name, why) -> {
            var o = s.core.control().update(new ControlRequest.UpdateJob(job, null, null, null, null, name));
            assertFalse(o.result().ok());
            assertTrue(o.result().reason().contains("name: " + why), o.result().reason());
            assertTrue(o.decisions().isEmpty());
            assertEquals("sim", s.job(job).name());
        });
    }
}
