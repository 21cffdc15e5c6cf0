package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent-to-relay format, and how the relay reads an agent's request into an exec request. */
class RelayWireTest {
    private static RelayWire.Request read(String wire) throws IOException {
        return RelayRequestReader.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRequestIsNetstringsThatReadBackTheSame() throws IOException {
        var request = new RelayWire.Request("7", "1", "tok", "h1=id1", List.of("-x", "h1", "a b", "", "é;\n"));
        String wire = new String(request.encode(), StandardCharsets.UTF_8);
        assertEquals("11:cadre-rsh/1,1:7,1:1,3:tok,6:h1=id1,1:5,2:-x,2:h1,3:a b,0:,4:é;\n,", wire);
        assertEquals(request, read(wire));
        assertEquals(new RelayWire.Request("", "", "", "", List.of()),
                read(new String(new RelayWire.Request(null, null, null, null, List.of()).encode(),
                        StandardCharsets.UTF_8)));
    }

    @Test
    void theExampleInTheProtocolSpecReadsAndEncodesTheSame() throws IOException {
        // Tests run in the module's directory; the docs live beside the modules.
        String example = Files.readAllLines(Path.of("..", "docs", "protocol.md")).stream()
                .filter(l -> l.startsWith("11:cadre-rsh/1,")).findFirst().orElseThrow();
        RelayWire.Request r = read(example);
        assertEquals(List.of("-x", "node2", "orted", "-mca"), r.args());
        assertEquals("42", r.jobId());
        assertEquals(example, new String(r.encode(), StandardCharsets.UTF_8));
        assertEquals("node2-b", ExecTarget.resolve(r, "r").nodeId());
    }

    @Test
    void malformedRequestsNameTheProblem() {
        assertTrue(assertThrows(RelayWire.BadRequest.class, () -> read("3:ssh,")).getMessage()
                .contains("unknown agent protocol 'ssh'"));
        assertTrue(assertThrows(RelayWire.BadRequest.class, () -> read("12345678:")).getMessage()
                .contains("at most 7 digits"));
        assertTrue(assertThrows(RelayWire.BadRequest.class, () -> read(":x,")).getMessage()
                .contains("no length"));
        assertTrue(assertThrows(RelayWire.BadRequest.class, () -> read("11:cadre-rsh/1;")).getMessage()
                .contains("not followed by ','"));
        assertThrows(EOFException.class, () -> read("11:cadre-rsh/1,1:7"));
        assertTrue(assertThrows(RelayWire.BadRequest.class, () -> read("11:cadre-rsh/1,0:,0:,0:,0:,2:-1,"))
                .getMessage().contains("argument count -1 is outside"));
        assertTrue(assertThrows(RelayWire.BadRequest.class, () -> read("11:cadre-rsh/1,0:,0:,0:,0:,1:x,"))
                .getMessage().contains("argument count 'x' is not a number"));
        String big = "a".repeat(600_000);
        var tooLong = new RelayWire.Request("7", "1", "t", "", List.of(big, big));
        assertTrue(assertThrows(RelayWire.BadRequest.class, () -> read(new String(tooLong.encode(),
                StandardCharsets.UTF_8))).getMessage().contains("over 1048576 bytes"));
    }

    @Test
    void framesCarryBytesAndTheExitStatus() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RelayWire.write(out, new RelayWire.Frame(RelayWire.STDOUT, new byte[] {0, (byte) 0xff}));
        RelayWire.write(out, new RelayWire.Frame(RelayWire.STDERR, new byte[0]));
        RelayWire.write(out, RelayWire.Frame.exit(255));
        byte[] wire = out.toByteArray();
        assertArrayEquals(new byte[] {'o', 0, 0, 0, 2, 0, (byte) 0xff}, java.util.Arrays.copyOf(wire, 7));
        ByteArrayInputStream in = new ByteArrayInputStream(wire);
        assertArrayEquals(new byte[] {0, (byte) 0xff}, RelayWire.readFrame(in).payload());
        assertEquals(RelayWire.STDERR, RelayWire.readFrame(in).type());
        assertEquals(255, RelayWire.readFrame(in).exitCode());
        assertNull(RelayWire.readFrame(in));
        assertThrows(EOFException.class, () -> RelayWire.readFrame(new ByteArrayInputStream(new byte[] {'o', 0})));
    }

    private static RelayWire.Request agent(String... args) {
        return new RelayWire.Request("7", "2", "tok", "node1=id-1,node2=id-2", List.of(args));
    }

    @Test
    void aRequestResolvesToItsHostsNodeAndTheJoinedCommand() {
        ExecTarget t = ExecTarget.resolve(agent("-x", "user@node2", "-p", "22", "orted", "-mca", "\"a b\""), "r1");
        assertEquals("node2", t.host());
        assertEquals("id-2", t.nodeId());
        assertEquals("orted -mca \"a b\"", t.request().command());
        assertEquals(7, t.request().jobId());
        assertEquals(2, t.request().attempt());
        assertEquals("tok", t.request().token());
        assertEquals("r1", t.request().requestId());
        assertEquals("id-1", ExecTarget.resolve(agent("node1.cluster.example", "true"), "r").nodeId());
        assertEquals("id-2", ExecTarget.resolve(agent("id-2", "true"), "r").nodeId(), "a node id is a host name too");
    }

    @Test
    void unresolvableRequestsNameTheProblem() {
        assertTrue(assertThrows(ExecTarget.Unresolvable.class, () -> ExecTarget.resolve(agent("node3", "true"),
                "r")).getMessage().contains("host node3 is not part of job 7's allocation (node1, id-1, node2, id-2)"));
        assertTrue(assertThrows(ExecTarget.Unresolvable.class, () -> ExecTarget.resolve(agent("node1"), "r"))
                .getMessage().contains("no command to run on node1"));
        assertTrue(assertThrows(ExecTarget.Unresolvable.class, () -> ExecTarget.resolve(new RelayWire.Request(
                "", "", "", "", List.of("node1", "true")), "r")).getMessage().contains("not inside a Cadre job"));
        assertTrue(assertThrows(ExecTarget.Unresolvable.class, () -> ExecTarget.resolve(new RelayWire.Request(
                "seven", "1", "t", "node1=id-1", List.of("node1", "true")), "r")).getMessage()
                .contains("is not a number"));
        assertEquals(Map.of(), ExecAccess.nodes(null));
        assertEquals(Collections.emptyMap(), ExecAccess.nodes("=x,y="));
    }
}
