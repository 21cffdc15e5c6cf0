package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Attempts the head believed running that a node of theirs no longer lists, while their coordinator is asked
 * (query-attempt) for the end it recorded. A head whose cadre.db was restored from a backup, or that missed an end,
 * would otherwise declare lost, and run again, an attempt that ended: the node keeps each reported end for 7 days.
 */
final class AttemptInquiries {
    /**
     * @param lostOn the node that no longer lists the attempt
     * @param why the attempt's failure, should the coordinator have no end to give
     */
    record Inquiry(long jobId, int attempt, String coordinator, String lostOn, String why, Instant asked) {
    }

    private final Map<Long, Inquiry> open = new LinkedHashMap<>();

    /** @return whether the attempt was not asked about yet: the query is then to be sent */
    boolean ask(JobRecord j, String lostOn, String why, Instant now) {
        Inquiry before = open.get(j.id());
        if (before != null && before.attempt() == j.attempt()) {
            return false;
        }
        open.put(j.id(), new Inquiry(j.id(), j.attempt(), j.allocation().coordinator().nodeId(), lostOn, why, now));
        return true;
    }

    Optional<Inquiry> of(long jobId, int attempt) {
        Inquiry i = open.get(jobId);
        return i != null && i.attempt() == attempt ? Optional.of(i) : Optional.empty();
    }

    void close(long jobId) {
        open.remove(jobId);
    }

    /** The inquiries asked longer than {@code wait} ago, removed: no answer is coming. */
    List<Inquiry> unanswered(Instant now, Duration wait) {
        List<Inquiry> out = new ArrayList<>();
        for (Iterator<Inquiry> it = open.values().iterator(); it.hasNext();) {
            Inquiry i = it.next();
            if (i.asked().plus(wait).isBefore(now)) {
                out.add(i);
                it.remove();
            }
        }
        return out;
    }

    /** The head was not looking (asleep, stalled): the answers may wait unread, so each gets a whole wait again. */
    void restart(Instant now) {
        open.replaceAll((id, i) -> new Inquiry(i.jobId(), i.attempt(), i.coordinator(), i.lostOn(), i.why(), now));
    }
}
