package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Version 3 of the agent's socket: the input field, and the input frames (protocol.md 13.8, 13.10). */
class RelayInputWireTest {
    private static RelayWire.Request read(String wire) throws IOException {
        return RelayRequestReader.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aVersionThreeRequestAnnouncesItsInput() throws IOException {
        var request = new RelayWire.Request("7", "1", "tok", "h1=id1", List.of("h1", "cat"), "").withInput(true);
        String wire = new String(request.encode(), StandardCharsets.UTF_8);
        assertEquals("11:cadre-rsh/3,1:7,1:1,3:tok,6:h1=id1,0:,1:1,1:2,2:h1,3:cat,", wire);
        assertEquals(request, read(wire));
        assertTrue(read(wire).sendsInput());
        // Resumed, it sends no more input: what was left is not sent again.
        RelayWire.Request resumed = read(new String(request.resuming("7.1.x").encode(), StandardCharsets.UTF_8));
        assertFalse(resumed.sendsInput());
        assertEquals("7.1.x", resumed.resume());
        // Without input, an agent sends version 2, as before.
        assertNull(new RelayWire.Request("7", "1", "tok", "", List.of("h1", "true"), "").input());
    }

    @Test
    void theVersionThreeExampleInTheProtocolSpecReadsAndEncodesTheSame() throws IOException {
        String example = Files.readAllLines(Path.of("..", "docs", "protocol.md")).stream()
                .filter(l -> l.startsWith("11:cadre-rsh/3,")).findFirst().orElseThrow();
        RelayWire.Request r = read(example);
        assertTrue(r.sendsInput());
        assertEquals(example, new String(r.encode(), StandardCharsets.UTF_8));
        assertTrue(ExecTarget.resolve(r, "r").request().takesInput());
    }

    @Test
    void sshsNoInputOptionOrAnAgentWithoutInputGivesTheCommandDevNull() {
        var base = new RelayWire.Request("42", "1", "t", "n2=id2", List.of("n2", "cat"), "");
        assertFalse(ExecTarget.resolve(base, "r").request().takesInput());
        assertFalse(ExecTarget.resolve(base.withInput(false), "r").request().takesInput());
        assertTrue(ExecTarget.resolve(base.withInput(true), "r").request().takesInput());
        var n = new RelayWire.Request("42", "1", "t", "n2=id2", List.of("-n", "n2", "cat"), "").withInput(true);
        assertFalse(ExecTarget.resolve(n, "r").request().takesInput());
        assertTrue(RshCommandLine.parse(List.of("-xn", "n2", "cat")).noInput());
        assertFalse(RshCommandLine.parse(List.of("n2", "cat", "-n")).noInput(), "-n of the remote command");
    }

    @Test
    void aBadInputFieldIsRefusedByName() {
        assertTrue(assertThrows(RelayWire.BadRequest.class, () -> read("11:cadre-rsh/3,0:,0:,0:,0:,0:,3:yes,1:0,"))
                .getMessage().contains("the input field is 'yes'"));
        assertTrue(assertThrows(RelayWire.BadRequest.class, () -> read("11:cadre-rsh/5,")).getMessage()
                .contains("cadre-rsh/1, cadre-rsh/2, cadre-rsh/3 and cadre-rsh/4"));
    }

    @Test
    void inputFramesAreDataAndAnEmptyEndWithinTheLimit() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RelayWire.write(out, new RelayWire.Frame(RelayWire.DATA, new byte[] {1, 2}));
        RelayWire.write(out, RelayWire.Frame.empty(RelayWire.END));
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertArrayEquals(new byte[] {1, 2}, RelayWire.readInputFrame(in).payload());
        assertEquals(RelayWire.END, RelayWire.readInputFrame(in).type());
        assertNull(RelayWire.readInputFrame(in));

        byte[] over = ByteBuffer.allocate(5).put(RelayWire.DATA).putInt(RelayWire.MAX_DATA + 1).array();
        assertTrue(assertThrows(RelayWire.BadRequest.class, () -> RelayWire.readInputFrame(
                new ByteArrayInputStream(over))).getMessage().contains("an input frame claims 65537 bytes"));
        byte[] negative = ByteBuffer.allocate(5).put(RelayWire.DATA).putInt(-1).array();
        assertTrue(assertThrows(RelayWire.BadRequest.class, () -> RelayWire.readInputFrame(
                new ByteArrayInputStream(negative))).getMessage().contains("claims 4294967295 bytes"));
        byte[] unknown = new RelayWire.Frame((byte) 'q', new byte[0]).encode().array();
        assertTrue(assertThrows(RelayWire.BadRequest.class, () -> RelayWire.readInputFrame(
                new ByteArrayInputStream(unknown))).getMessage().contains("unknown input frame 'q'"));
        byte[] fullEnd = new RelayWire.Frame(RelayWire.END, new byte[] {1}).encode().array();
        assertThrows(RelayWire.BadRequest.class, () -> RelayWire.readInputFrame(new ByteArrayInputStream(fullEnd)));
    }

    @Test
    void aResizeFrameCarriesATerminalSize() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RelayWire.write(out, RelayWire.Frame.resize(new TerminalSize(50, 132)));
        assertArrayEquals(new byte[] {'w', 0, 0, 0, 6, '5', '0', ' ', '1', '3', '2'}, out.toByteArray());
        RelayWire.Frame read = RelayWire.readInputFrame(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(RelayWire.RESIZE, read.type());
        assertEquals(new TerminalSize(50, 132), read.size().orElseThrow());

        for (String bad : new String[] {"0 0", "50", "50 132 7", "12345678901 1"}) {
            byte[] frame = new RelayWire.Frame(RelayWire.RESIZE, bad.getBytes(StandardCharsets.US_ASCII)).encode()
                    .array();
            assertTrue(assertThrows(RelayWire.BadRequest.class, () -> RelayWire.readInputFrame(
                    new ByteArrayInputStream(frame))).getMessage().contains("is no size (ROWS COLS, each 1-9999)"),
                    bad);
        }
    }
}
