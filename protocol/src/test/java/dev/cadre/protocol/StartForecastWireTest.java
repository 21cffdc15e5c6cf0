package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A start-forecast says on the wire when the scheduler planned nothing for now ({@code unavailable}), and the CPUs
 * each planned job would be given; an answer from a scheduler before either field reads as a plain answer.
 */
class StartForecastWireTest {
    @Test
    void aRefusalForNowCarriesItsWireNameAndAnOlderAnswerReadsAsAPlainOne() throws ProtocolException {
        var busy = ClientReply.StartForecast.unavailable(ClientReply.StartForecast.Unavailable.BUSY,
                "16 start forecasts are being planned; ask again shortly");
        String json = MessageCodec.encode(busy);
        assertTrue(json.contains("\"unavailable\":\"busy\""), json);
        assertEquals(busy, MessageCodec.decode(json));
        var stopping = (ClientReply.StartForecast) MessageCodec.decode("{\"version\":1,\"type\":\"start-forecast\","
                + "\"starts\":[],\"reason\":\"the scheduler is stopping\",\"unavailable\":\"stopping\"}");
        assertEquals(ClientReply.StartForecast.Unavailable.STOPPING, stopping.unavailable());

        var older = (ClientReply.StartForecast) MessageCodec.decode("{\"version\":1,\"type\":\"start-forecast\","
                + "\"starts\":[{\"jobId\":4,\"start\":\"2026-11-21T11:00:00Z\",\"nodes\":[\"n1\"]}],\"reason\":null}");
        assertNull(older.unavailable());
        assertEquals(new ClientReply.ExpectedStart(4, Instant.parse("2026-11-21T11:00:00Z"), List.of("n1"), null),
                older.starts().get(0), "no cpus from a scheduler before them");
    }

    @Test
    void anExpectedStartCarriesTheCpusItWouldBeGiven() throws ProtocolException {
        var f = new ClientReply.StartForecast(List.of(new ClientReply.ExpectedStart(4,
                Instant.parse("2026-11-21T11:00:00Z"), List.of("n1", "n2"), 64)), null);
        String json = MessageCodec.encode(f);
        assertTrue(json.contains("\"cpus\":64"), json);
        assertEquals(f, MessageCodec.decode(json));
    }
}
