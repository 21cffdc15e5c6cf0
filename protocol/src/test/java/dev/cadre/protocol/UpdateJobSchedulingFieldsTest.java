package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * update-job's arrayTaskThrottle, beginTime and dependency, and job-updated's, on the wire (docs/protocol.md 5.5,
 * 8.7): they travel, and messages sent before they existed still decode, with none of them.
 */
class UpdateJobSchedulingFieldsTest {
    private static final Instant BEGIN = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void theNewUpdateFieldsTravel() throws Exception {
        var sent = new ControlRequest.UpdateJob(12, null, null, null, null, null, null, "r-1", 4, BEGIN, "afterok:11");
        assertEquals(sent, MessageCodec.decode(MessageCodec.encode(sent)));
        var clearing = new ControlRequest.UpdateJob(12, null, null, null, null, null, null, null, 0, null, "");
        assertEquals(clearing, MessageCodec.decode(MessageCodec.encode(clearing)));
    }

    @Test
    void anUpdateWithoutThemDecodesWithNone() throws Exception {
        var decoded = (ControlRequest.UpdateJob) MessageCodec.decode("{\"version\":1,\"type\":\"update-job\","
                + "\"jobId\":42,\"taskId\":null,\"timeLimitSeconds\":null,\"priority\":null,\"nice\":100,"
                + "\"name\":\"rerun\",\"timeLimitChangeSeconds\":600}");
        assertNull(decoded.arrayTaskThrottle());
        assertNull(decoded.beginTime());
        assertNull(decoded.dependency());
        assertEquals(new ControlRequest.UpdateJob(42, null, null, null, 100, "rerun", 600L, null), decoded);
    }

    @Test
    void aThrottleThatIsNoWholeNumberIsRefusedNamingTheField() {
        for (String bad : new String[] {"2.5", "\"4\"", "true"}) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(
                    "{\"type\":\"update-job\",\"jobId\":12,\"arrayTaskThrottle\":" + bad + "}"), bad);
            assertEquals(true, e.getMessage().contains("arrayTaskThrottle"), e.getMessage());
        }
    }

    @Test
    void theJobUpdatedEventCarriesThemAndOldOnesDecode() throws Exception {
        var event = new JobEvent.JobUpdated(12, "alice", "sweep", JobState.PENDING, "BeginTime", null, 60L, null,
                null, BEGIN, 12L, null, BEGIN, "afterok:11", 4, BEGIN.plusSeconds(3600));
        assertEquals(event, MessageCodec.decode(MessageCodec.encode(event)));
        var old = (JobEvent.JobUpdated) MessageCodec.decode("{\"version\":1,\"type\":\"job-updated\",\"jobId\":42,"
                + "\"user\":\"alice\",\"state\":\"PENDING\",\"time\":\"2026-11-21T10:00:03.112Z\"}");
        assertNull(old.beginTime());
        assertNull(old.dependency());
        assertNull(old.arrayTaskThrottle());
        assertNull(old.deadline());
    }

    @Test
    void aThrottleIsWrittenIntoTheArrayText() {
        assertEquals("0-99%4", ArraySpec.withThrottle("0-99%10", 4));
        assertEquals("0-99", ArraySpec.withThrottle("0-99%10", 0));
        assertEquals("1,3,5-7:2%2", ArraySpec.withThrottle("1,3,5-7:2", 2));
        assertEquals(4, ArraySpec.parse(ArraySpec.withThrottle("0-99", 4)).throttle());
    }
}
