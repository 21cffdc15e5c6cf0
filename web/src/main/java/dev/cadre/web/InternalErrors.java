package dev.cadre.web;

import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failure of the head's own while it answered a request (a bug, a database that fails): its stack trace goes to
 * the head's log under a fresh id, and the client gets only that id. An exception's text names classes, SQL and
 * paths, which are the operator's to read, not every client's; the id lets the operator find what a client quotes.
 */
final class InternalErrors {
    private static final Logger LOG = LoggerFactory.getLogger(InternalErrors.class);

    private InternalErrors() {
    }

    /**
     * Logs the failure and returns the 500 to answer with.
     *
     * @param during what was being done, for the log ("GET /api/jobs/7")
     */
    static ApiException report(String during, Throwable failure) {
        String id = String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL);
        LOG.error("internal error {} while {}", id, during, failure);
        return new ApiException(500, "internal error " + id + ": the head's log has what went wrong under this id");
    }
}
