package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.MessageCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecTargetTest {
    private static RelayWire.Request agent(String... args) {
        return new RelayWire.Request("7", "1", "tok", "host1=n1,host2=n2", List.of(args));
    }

    @Test
    void resolvesTheHostToItsNodeAndJoinsTheCommand() {
        ExecTarget t = ExecTarget.resolve(agent("-x", "host2", "echo", "hi"), "r1");
        assertEquals("n2", t.nodeId());
        assertEquals("echo hi", t.request().command());
        assertEquals(7, t.request().jobId());
    }

    @Test
    void aCommandWhoseRequestTheCodecCannotCarryIsRefusedAtOnceNamingTheLimit() {
        // Within the agent's limits, but every quote takes two bytes in JSON.
        String quotes = "\"".repeat(MessageCodec.MAX_BYTES / 2 + 1);
        ExecTarget.Unresolvable e = assertThrows(ExecTarget.Unresolvable.class,
                () -> ExecTarget.resolve(agent("host2", "echo", quotes), "r1"));
        assertTrue(e.getMessage().contains("too long") && e.getMessage().contains(
                "the limit of a message is " + MessageCodec.MAX_BYTES + " bytes"), e.getMessage());
    }

    @Test
    void aLongCommandThatFitsTheCodecIsSent() {
        String text = "x".repeat(MessageCodec.MAX_BYTES - 1_000);
        assertEquals(text.length() + 5, ExecTarget.resolve(agent("host2", "echo", text), "r1").request().command()
                .length());
    }
}
