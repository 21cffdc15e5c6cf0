package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.ServiceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A refusal repeats the service or node the request named, which scontrol and cadre service print to the user's
 * terminal: a name with terminal controls or bidi characters comes back masked (PrintableText), never as sent.
 */
class RefusalEchoTest {
    /** Clears the screen, and with a bidi override shows "exe.txt" as "txt.exe". */
    static final String HOSTILE = "web\u001b[2J\u202eexe.txt\u0085";
    static final String SHOWN = "web?[2J?exe.txt?";

    @Test
    void aServiceRefusalRepeatsTheNameMasked() {
        for (ClientRequest request : List.<ClientRequest>of(
                new ClientRequest.CreateService(new ServiceSpec(HOSTILE, 1, null, null)),
                new ClientRequest.UpdateService(HOSTILE, 2, null),
                new ClientRequest.DeleteService(HOSTILE))) {
            var reply = (ClientReply.ServiceResult) ControlRequests.refusal(request, "it failed");
            assertFalse(reply.ok());
            assertEquals(SHOWN, reply.name(), request.toString());
        }
        var nameless = (ClientReply.ServiceResult) ControlRequests.refusal(new ClientRequest.DeleteService(null), "x");
        assertEquals(null, nameless.name());
    }

    @Test
    void aNodeRefusalRepeatsTheNodeMasked() {
        for (ClientRequest request : List.<ClientRequest>of(
                new ControlRequest.DrainNode(HOSTILE, "disk swap", "root", null),
                new ControlRequest.ResumeNode(HOSTILE, "root"),
                new ControlRequest.DeleteNode(HOSTILE, "root"))) {
            var reply = (ClientReply.NodeResult) ControlRequests.refusal(request, "it failed");
            assertFalse(reply.ok());
            assertEquals(SHOWN, reply.node(), request.toString());
        }
    }
}
