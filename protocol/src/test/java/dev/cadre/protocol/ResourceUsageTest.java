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
    void theTotalIsUserAndSystemTogetherAndNeverWraps() {
        assertEquals(1_520_000L, new ResourceUsage(1_500_000L, 20_000L, null).totalCpuMicros());
        assertEquals(9L, new ResourceUsage(null, 9L, 1L).totalCpuMicros());
        assertNull(new ResourceUsage(null, null, 1L).totalCpuMicros());
        assertEquals(Long.MAX_VALUE, new ResourceUsage(Long.MAX_VALUE, 1L, null).totalCpuMicros());
    }
}
