package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** usage-reading's virtual memory and disk figures, and readers and nodes on either side of them. */
class UsageReadingCodecTest {
    private static final Instant READ = Instant.parse("2026-11-21T10:05:00.120Z");
    /** A node-runner's answer from before the virtual memory and disk figures. */
    private static final String OLD_FORM = "{\"version\":1,\"type\":\"usage-reading\",\"jobId\":42,\"attempt\":1,"
            + "\"running\":true,\"absent\":false,\"usage\":{\"userCpuMicros\":5,\"systemCpuMicros\":6,"
            + "\"maxRssBytes\":null},\"rssBytes\":4096,\"pids\":[7,8],\"time\":\"2026-11-21T10:05:00.120Z\","
            + "\"error\":null}";

    @Test
    void theFiguresSurviveEncodeAndDecode() throws Exception {
        var sent = new UsageMessage.UsageReading(42, 1, true, false, new ResourceUsage(5L, 6L, null), 4096L,
                300L << 20, 1L << 20, 50L << 20, List.of(7L, 8L), READ, null);
        assertEquals(sent, MessageCodec.decode(MessageCodec.encode(sent)));
        var unknown = new UsageMessage.UsageReading(42, 1, true, false, null, 0L, 0L, null, null, List.of(), READ,
                null);
        assertEquals(unknown, MessageCodec.decode(MessageCodec.encode(unknown)));
    }

    @Test
    void anOldNodesAnswerReadsWithTheFiguresUnknown() throws Exception {
        var old = (UsageMessage.UsageReading) MessageCodec.decode(OLD_FORM);
        assertEquals(4096L, old.rssBytes());
        assertEquals(List.of(7L, 8L), old.pids());
        assertNull(old.vmSizeBytes());
        assertNull(old.diskReadBytes());
        assertNull(old.diskWriteBytes());
    }

    @Test
    void theFiguresAreWrittenByNameAndALaterNodesFieldIsSkipped() throws Exception {
        // An older head skips the three as this one skips a field of a later node: MessageCodec ignores unknown ones.
        var sent = new UsageMessage.UsageReading(42, 1, true, false, new ResourceUsage(5L, 6L, null), 4096L, 9L, 10L,
                11L, List.of(7L, 8L), READ, null);
        ObjectNode encoded = (ObjectNode) MessageCodec.mapper().readTree(MessageCodec.encode(sent));
        assertEquals(9L, encoded.path("vmSizeBytes").asLong());
        assertEquals(10L, encoded.path("diskReadBytes").asLong());
        assertEquals(11L, encoded.path("diskWriteBytes").asLong());
        encoded.put("aFieldOfALaterNode", 1);
        var read = (UsageMessage.UsageReading) MessageCodec.decode(encoded.toString());
        assertEquals(sent, read);
    }

    @Test
    void aNegativeFigureIsRefusedByName() {
        var e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(OLD_FORM.replace(
                "\"rssBytes\":4096", "\"rssBytes\":4096,\"diskWriteBytes\":-1")));
        assertTrue(e.getMessage().contains("diskWriteBytes must be 0 or more, not -1"), e.getMessage());
        var vm = assertThrows(IllegalArgumentException.class, () -> new UsageMessage.UsageReading(42, 1, true, false,
                null, 0L, -2L, null, null, List.of(), READ, null));
        assertTrue(vm.getMessage().contains("vmSizeBytes must be 0 or more, not -2"), vm.getMessage());
    }
}
