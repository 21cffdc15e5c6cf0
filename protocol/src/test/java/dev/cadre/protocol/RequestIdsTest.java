package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A control request's id: one printable word, bounded, as it also travels as an HTTP header. */
class RequestIdsTest {
    @Test
    void uuidsAndBase64AreTakenAndAnythingElseIsRefusedByRule() {
        assertNull(RequestIds.problem(null));
        assertNull(RequestIds.problem("0b6f2c1e-5d3a-4c8e-9f41-2a7d8e5b6c90"));
        assertNull(RequestIds.problem("aGVsbG8+/w=="));
        assertNull(RequestIds.problem("x".repeat(RequestIds.MAX_LENGTH)));
        for (String bad : new String[] {"", "a b", "x".repeat(RequestIds.MAX_LENGTH + 1), "caf\u00e9", "a\nb", "a\"b"}) {
            assertEquals(RequestIds.RULE, RequestIds.problem(bad), bad);
        }
    }

    @Test
    void theIdTravelsInEveryControlRequest() throws Exception {
        var decoded = (ControlRequest) MessageCodec.decode("{\"type\":\"cancel-job\",\"jobId\":4,"
                + "\"requestId\":\"r-1\"}");
        assertEquals(new ControlRequest.CancelJob(4, null, null, "r-1"), decoded);
        assertNull(((ControlRequest) MessageCodec.decode("{\"type\":\"delete-node\",\"node\":\"n1\"}"))
                .requestId());
    }
}
