package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Version 2 of the agent's socket: the run to resume, and the frame that names a run. */
class RelayWireResumeTest {
    private static RelayWire.Request read(String wire) throws IOException {
        return RelayRequestReader.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aResumableRequestCarriesTheRunToResume() throws IOException {
        var fresh = new RelayWire.Request("7", "1", "tok", "h1=id1", List.of("h1", "true"), "");
        assertEquals("11:cadre-rsh/2,1:7,1:1,3:tok,6:h1=id1,0:,1:2,2:h1,4:true,",
                new String(fresh.encode(), StandardCharsets.UTF_8));
        assertEquals(fresh, read(new String(fresh.encode(), StandardCharsets.UTF_8)));
        assertTrue(fresh.resumable());
        assertFalse(fresh.resuming());
        var resume = fresh.resuming("7.1.abc");
        RelayWire.Request back = read(new String(resume.encode(), StandardCharsets.UTF_8));
        assertEquals("7.1.abc", back.resume());
        assertTrue(back.resuming());
        assertEquals(List.of("h1", "true"), back.args());
    }

    @Test
    void aVersionOneRequestCannotResume() throws IOException {
        RelayWire.Request old = read("11:cadre-rsh/1,1:7,1:1,3:tok,0:,1:1,2:h1,");
        assertFalse(old.resumable());
        assertFalse(old.resuming());
    }

    @Test
    void theProtocolSpecsExamplesReadAndEncodeTheSame() throws IOException {
        List<String> examples = java.nio.file.Files.readAllLines(java.nio.file.Path.of("..", "docs", "protocol.md"))
                .stream().filter(l -> l.startsWith("11:cadre-rsh/2,")).toList();
        assertEquals(2, examples.size(), "a new run and a resume: " + examples);
        assertEquals("", read(examples.get(0)).resume());
        RelayWire.Request r = read(examples.get(1));
        assertEquals("42.1.0b8e2a52-6f3c-4d7e-9a1b-2c3d4e5f6a7b", r.resume());
        for (String example : examples) {
            assertEquals(example, new String(read(example).encode(), StandardCharsets.UTF_8));
            assertEquals(List.of("-x", "node2", "orted", "-mca"), read(example).args());
        }
    }

    @Test
    void anOverlongRunIdIsRefusedNamingTheLimit() {
        String wire = "11:cadre-rsh/2,1:7,1:1,1:t,0:,201:" + "a".repeat(201) + ",1:0,";
        assertTrue(assertThrows(RelayWire.BadRequest.class, () -> read(wire)).getMessage()
                .contains("a run id has at most 200"));
        assertTrue(assertThrows(RelayWire.BadRequest.class, () -> read("11:cadre-rsh/5,")).getMessage()
                .contains("this node speaks cadre-rsh/1, cadre-rsh/2, cadre-rsh/3 and cadre-rsh/4"));
    }

    @Test
    void theRunFrameCarriesTheId() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RelayWire.write(out, RelayWire.Frame.run("7.1.x"));
        RelayWire.Frame f = RelayWire.readFrame(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(RelayWire.RUN, f.type());
        assertEquals("7.1.x", new String(f.payload(), StandardCharsets.US_ASCII));
    }
}
