package dev.cadre.scheduler;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.MessageCodec;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client request the scheduler failed on while deciding it (a bug, a database that fails): answered as refused,
 * in the reply type the request expects, naming the request and an incident id; the head's log has that id on the
 * line before the stack trace. An exception's text names classes, SQL and paths, which are the operator's to read,
 * not every client's; the id lets the operator find what a client quotes. The log names the request by what
 * identifies it ({@link RequestSummary}), not by its contents.
 */
final class RequestFailures {
    private static final Logger LOG = LoggerFactory.getLogger(RequestFailures.class);

    private RequestFailures() {
    }

    /** Logs the failure under a fresh incident id and returns the refusal to answer with. */
    static ClientReply refusal(ClientRequest request, RuntimeException failure) {
        String incident = String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL);
        String type = MessageCodec.typeName(request);
        String outcome = request instanceof ClientRequest.ExecGrant ? "nothing was granted" : "nothing was changed";
        // What identifies the request, not the request: a submission's script and environment are not the log's.
        LOG.error("incident {}: {} failed inside the scheduler, refused ({}): {}", incident, type, outcome,
                RequestSummary.of(request), failure);
        return ControlRequests.refusal(request, type + " failed inside the scheduler (incident " + incident
                + ": the head's log has what went wrong under this id); " + outcome);
    }
}
