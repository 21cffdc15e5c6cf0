package dev.cadre.cli.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client commands' JSON, against the project's Jackson codec that the REST API speaks. */
class JsonTest {

    @Test
    void readsWhatTheRestApiWrites() {
        Json j = Json.parse("{\"id\":12,\"name\":\"a \\\"b\\\" \\u00e9\",\"tags\":[1,2.5,true,null],"
                + "\"nested\":{\"x\":-3}}");
        assertEquals(12, j.path("id").asLong());
        assertEquals("a \"b\" é", j.path("name").asText());
        assertEquals(4, j.path("tags").size());
        assertEquals("2.5", j.path("tags").path(1).asText());
        assertTrue(j.path("tags").path(2).asBoolean());
        assertTrue(j.path("tags").path(3).isNull());
        assertEquals(-3, j.path("nested").path("x").asInt());
        assertTrue(j.path("absent").isMissing());
        assertEquals("fallback", j.path("absent").asText("fallback"));
        assertFalse(j.hasNonNull("absent"));
    }

    @Test
    void readsInstantsAsTheCodecWritesThem() {
        for (String t : List.of("2026-03-10T14:00:00Z", "2026-03-10T14:00:00.123Z", "2026-12-31T23:59:59.123456789Z",
                "1999-01-01T00:00:00.5Z", "2026-03-10T14:00:00+01:00")) {
            assertEquals(java.time.OffsetDateTime.parse(t).toInstant(), Json.parse("\"" + t + "\"").asInstant(), t);
        }
        assertEquals(null, Json.parse("{\"a\":null}").path("a").asInstant());
        assertEquals(null, Json.MISSING.asInstant());
        assertThrows(java.time.format.DateTimeParseException.class, () -> Json.parse("\"2026-13-10T14:00:00Z\"")
                .asInstant());
    }

    @Test
    void refusesWhatIsNotJson() {
        for (String bad : List.of("", "{", "{\"a\":1,}", "[1 2]", "01", "{\"a\":1}x", "\"\\x\"", "{\"a\":1,\"a\":2}",
                "[" .repeat(100) + "]".repeat(100))) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void writesRecordsAsTheCodecReadsThem() throws Exception {
        JobSpec spec = JobSpec.builder().name("x\ny").user("alice").script("#!/bin/sh\necho \"hi\"\n")
                .workDir("/w").tasks(3).environment(Map.of("A", "1")).args(List.of("a", "b"))
                .beginTime(Instant.parse("2026-03-10T14:00:00Z")).exclusive(true).build();
        String text = JsonWriter.write(spec);
        assertEquals(spec, MessageCodec.mapper().readValue(text, JobSpec.class));
        assertFalse(text.contains("null"), "absent fields are left out, as the codec writes them");
    }

    @Test
    void writesMapsListsAndEscapes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "tab\there \u0001");
        m.put("n", List.of(1, 2L, true));
        assertEquals("{\"s\":\"tab\\there \\u0001\",\"n\":[1,2,true]}", JsonWriter.write(m));
        assertEquals(m.get("s"), Json.parse(JsonWriter.write(m)).path("s").asText());
    }
}
