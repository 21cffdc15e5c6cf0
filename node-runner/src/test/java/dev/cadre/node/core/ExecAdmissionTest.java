package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecAdmissionTest {
    private static final String TOKEN = "a".repeat(64);
    private static final NodeCommand.PlaceJob PLACE = new NodeCommand.PlaceJob(7, 1,
            JobSpec.builder().name("mpi").user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp").build(),
            new Allocation(List.of(new Allocation.NodeSlots("n1", "alpha", 1, 1, 0, 0),
                    new Allocation.NodeSlots("n2", "beta", 1, 1, 0, 0))), TOKEN);

    private static ExecMessage.ExecRequest request(String token, String command) {
        return new ExecMessage.ExecRequest("r1", 7, 1, token, command);
    }

    private static String refusal(ExecAdmission.Verdict v) {
        return assertInstanceOf(ExecAdmission.Refuse.class, v).reason();
    }

    @Test
    void aHeldAttemptWithItsTokenRuns() {
        var run = assertInstanceOf(ExecAdmission.Run.class, ExecAdmission.decide(request(TOKEN, "true"), PLACE,
                false, "n2"));
        assertSame(PLACE, run.place());
    }

    @Test
    void aRequestThatOvertookItsPlaceJobWaitsUnlessTheAttemptAlreadyEndedHere() {
        assertInstanceOf(ExecAdmission.Wait.class, ExecAdmission.decide(request(TOKEN, "true"), null, false, "n2"));
        assertEquals("job 7 attempt 1 is not running on node n2",
                refusal(ExecAdmission.decide(request(TOKEN, "true"), null, true, "n2")));
        assertEquals("job 7 attempt 1 is not running on node n2",
                ExecAdmission.notHeldInTime(request(TOKEN, "true"), "n2").reason());
    }

    @Test
    void wrongTokensOtherNodesAndMalformedRequestsAreRefusedWithoutWaiting() {
        assertEquals("wrong exec token for job 7 attempt 1",
                refusal(ExecAdmission.decide(request("b".repeat(64), "true"), PLACE, false, "n2")));
        assertEquals("wrong exec token for job 7 attempt 1",
                refusal(ExecAdmission.decide(request(null, "true"), PLACE, false, "n2")));
        assertEquals("job 7 attempt 1 is not running on node n3",
                refusal(ExecAdmission.decide(request(TOKEN, "true"), PLACE, false, "n3")));
        assertEquals("the request has no command", refusal(ExecAdmission.decide(request(TOKEN, " "), null, false,
                "n2")));
        assertEquals("the command contains a NUL character",
                refusal(ExecAdmission.decide(request(TOKEN, "a\0b"), null, false, "n2")));
        String huge = "x".repeat(ExecAdmission.MAX_COMMAND_CHARS + 1);
        assertEquals("the command is 1048577 characters; the limit is 1048576",
                refusal(ExecAdmission.decide(request(TOKEN, huge), null, false, "n2")));
        assertEquals("the request has no usable requestId", refusal(ExecAdmission.decide(
                new ExecMessage.ExecRequest("", 7, 1, TOKEN, "true"), PLACE, false, "n2")));
    }
}
