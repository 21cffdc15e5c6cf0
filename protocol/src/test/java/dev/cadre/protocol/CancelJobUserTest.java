package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** cancel-job's user: who asks, a user name as drain-node's is, or absent (docs/protocol.md 5.2). */
class CancelJobUserTest {
    @Test
    void theUserTravelsWithTheRequest() throws Exception {
        var sent = new ControlRequest.CancelJob(42, 3, null, "alice", "r-7");
        String json = MessageCodec.encode(sent);
        assertEquals(sent, MessageCodec.decode(json));
        var decoded = (ControlRequest.CancelJob) MessageCodec.decode("{\"type\":\"cancel-job\",\"jobId\":42,"
                + "\"user\":\"alice\"}");
        assertEquals("alice", decoded.user());
        assertNull(ControlRequestValidator.problem(decoded));
    }

    @Test
    void anAbsentUserIsNoneAndNoProblem() throws Exception {
        var decoded = (ControlRequest.CancelJob) MessageCodec.decode("{\"type\":\"cancel-job\",\"jobId\":42}");
        assertNull(decoded.user());
        assertNull(ControlRequestValidator.problem(decoded));
        assertEquals(new ControlRequest.CancelJob(42), decoded);
        assertNull(new ControlRequest.CancelJob(42, null, null, "r-1").user(), "the requestId constructor names none");
    }

    @Test
    void aUserThatIsNoUserNameIsAProblemNamingTheField() throws Exception {
        for (String bad : new String[] {"", "a b", "x".repeat(65), "-dash", "a\nb", "caf\u00e9"}) {
            var decoded = (ControlRequest.CancelJob) MessageCodec.decode(MessageCodec.encode(
                    new ControlRequest.CancelJob(1, null, null, bad, null)));
            assertEquals("user " + JobSpecValidator.USER_RULE, ControlRequestValidator.problem(decoded), bad);
        }
        assertNull(ControlRequestValidator.problem(new ControlRequest.CancelJob(1, null, null, "x".repeat(64), null)));
        assertNull(ControlRequestValidator.problem(new ControlRequest.CancelJob(1, null, null, "a.b@c-d_e", null)));
        assertFalse(MessageCodec.encode(new ControlRequest.CancelJob(1)).contains("problem"),
                "the check is not a field on the wire");
    }
}
