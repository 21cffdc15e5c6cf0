package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** job-state-changed's cancelledBy: who the cancel it carries out named, or absent (docs/protocol.md 8.1). */
class JobStateChangedCancellerTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:07.931Z");

    private static JobEvent.JobStateChanged cancelled(String by) {
        return new JobEvent.JobStateChanged(42, JobState.PENDING, JobState.CANCELLED, "CancelledByUser", T, 0,
                "alice", "hello", null, null, 40L, 3, by);
    }

    @Test
    void theCancellerTravelsWithTheEvent() throws Exception {
        var sent = cancelled("bob");
        String json = MessageCodec.encode(sent);
        assertTrue(json.contains("\"cancelledBy\":\"bob\""), json);
        assertEquals(sent, MessageCodec.decode(json));
        assertEquals("bob", ((JobEvent.JobStateChanged) MessageCodec.decode(json)).cancelledBy());
    }

    @Test
    void anEventWithoutTheFieldAsOlderSchedulersSendItDecodesWithNobodyNamed() throws Exception {
        var decoded = (JobEvent.JobStateChanged) MessageCodec.decode("{\"version\":1,\"type\":\"job-state-changed\","
                + "\"jobId\":42,\"previous\":\"PENDING\",\"state\":\"CANCELLED\",\"reason\":\"CancelledByUser\","
                + "\"time\":\"2026-11-21T10:00:07.931Z\",\"attempt\":0,\"user\":\"alice\",\"name\":\"hello\"}");
        assertNull(decoded.cancelledBy());
        assertEquals(new JobEvent.JobStateChanged(42, JobState.PENDING, JobState.CANCELLED, "CancelledByUser", T, 0,
                "alice", "hello", null, null), decoded);
        assertNull(((JobEvent.JobStateChanged) MessageCodec.decode(MessageCodec.encode(cancelled(null))))
                .cancelledBy(), "an explicit null is nobody too");
    }

    @Test
    void aCancellerOfTheWrongTypeIsRefusedNamingTheField() {
        var e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(event("7")));
        assertEquals(RejectionCode.WRONG_TYPE, e.code());
        assertEquals("cancelledBy: expected a string, got an integer", e.getMessage());
    }

    /** The rule of cancel-job's user: a watcher prints the name on one line, so nothing else may pass. */
    @Test
    void aCancellerThatIsNoUserNameIsRefusedAsTheCancelRequestsUserIs() throws Exception {
        for (String bad : new String[] {"", "a b", "x".repeat(65), "-dash", "a\nb", "\u001b[2Jx", "caf\u00e9"}) {
            var e = assertThrows(ProtocolException.class,
                    () -> MessageCodec.decode(event(MessageCodec.encodeValue(bad))), bad);
            assertEquals(RejectionCode.INVALID_FIELD, e.code(), bad);
            assertTrue(e.getMessage().contains("cancelledBy " + JobSpecValidator.USER_RULE), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> cancelled(bad), "nor can one be built: " + bad);
        }
        assertEquals("x".repeat(64), cancelled("x".repeat(64)).cancelledBy());
        assertEquals("a.b@c-d_e", cancelled("a.b@c-d_e").cancelledBy());
    }

    private static String event(String cancelledBy) {
        return "{\"type\":\"job-state-changed\",\"jobId\":42,\"state\":\"CANCELLED\",\"time\":\"2026-11-21T10:00:07Z\","
                + "\"attempt\":0,\"user\":\"alice\",\"cancelledBy\":" + cancelledBy + "}";
    }
}
