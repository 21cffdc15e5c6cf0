package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ResourceUsageTest {
    private static final String FINISHED = "{\"version\":1,\"type\":\"runner-finished\",\"jobId\":3,\"attempt\":1,"
            + "\"nodeId\":\"n1\",\"exitCode\":0,\"signal\":0,\"time\":\"2026-11-21T10:00:00Z\"";

    @Test
    void aRunnerFinishedCarriesItsUsageAndAnOlderNodesOneHasNone() throws Exception {
        ResourceUsage usage = new ResourceUsage(1_500_000L, 20_000L, 64L << 20);
        var sent = new RunnerEvent.RunnerFinished(3, 1, "n1", 0, 0, null, Instant.parse("2026-11-21T10:00:00Z"), null,
                usage);
        assertEquals(sent, MessageCodec.decode(MessageCodec.encode(sent)));
        var old = (RunnerEvent.RunnerFinished) MessageCodec.decode(FINISHED + "}");
        assertNull(old.usage());
        var partial = (RunnerEvent.RunnerFinished) MessageCodec.decode(FINISHED
                + ",\"usage\":{\"userCpuMicros\":7,\"systemCpuMicros\":null}}");
        assertEquals(new ResourceUsage(7L, null, null), partial.usage());
    }

    @Test
    void aNegativeOrMistypedFigureIsRefusedByName() {
        var negative = assertThrows(ProtocolException.class, () -> MessageCodec.decode(FINISHED
                + ",\"usage\":{\"userCpuMicros\":1,\"systemCpuMicros\":2,\"maxRssBytes\":-5}}"));
        assertTrue(negative.getMessage().contains("maxRssBytes must be 0 or more, not -5"), negative.getMessage());
        var text = assertThrows(ProtocolException.class, () -> MessageCodec.decode(FINISHED
                + ",\"usage\":{\"userCpuMicros\":\"lots\"}}"));
        assertTrue(text.getMessage().contains("userCpuMicros"), text.getMessage());
    }

    @Test
    void theVirtualMemoryAndDiskFiguresRoundTripAndAnOlderNodesUsageHasThemUnknown() throws Exception {
        ResourceUsage usage = new ResourceUsage(1L, 2L, 3L, 300L << 20, 4L << 20, 5L << 20);
        var sent = new RunnerEvent.RunnerFinished(3, 1, "n1", 0, 0, null, Instant.parse("2026-11-21T10:00:00Z"), null,
                usage);
        assertEquals(sent, MessageCodec.decode(MessageCodec.encode(sent)));
        var exit = new ExecMessage.ExecExit("r-1", 0, 0, null, null, usage);
        assertEquals(exit, MessageCodec.decode(MessageCodec.encode(exit)));
        var old = (RunnerEvent.RunnerFinished) MessageCodec.decode(FINISHED
                + ",\"usage\":{\"userCpuMicros\":7,\"systemCpuMicros\":8,\"maxRssBytes\":9}}");
        assertEquals(new ResourceUsage(7L, 8L, 9L, null, null, null), old.usage());
        assertNull(old.usage().diskWriteBytes());
    }

    @Test
    void aNegativeVirtualMemoryOrDiskFigureIsRefusedByName() {
        for (String field : new String[] {"maxVmSizeBytes", "diskReadBytes", "diskWriteBytes"}) {
            var e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(FINISHED
                    + ",\"usage\":{\"userCpuMicros\":1,\"" + field + "\":-3}}"));
            assertTrue(e.getMessage().contains(field + " must be 0 or more, not -3"), e.getMessage());
        }
    }

    @Test
    void theTotalIsUserAndSystemTogetherAndNeverWraps() {
        assertEquals(1_520_000L, new ResourceUsage(1_500_000L, 20_000L, null).totalCpuMicros());
        assertEquals(9L, new ResourceUsage(null, 9L, 1L).totalCpuMicros());
        assertNull(new ResourceUsage(null, null, 1L).totalCpuMicros());
        assertEquals(Long.MAX_VALUE, new ResourceUsage(Long.MAX_VALUE, 1L, null).totalCpuMicros());
    }
}
