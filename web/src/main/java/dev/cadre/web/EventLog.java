package dev.cadre.web;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The latest events of cadre.events, each with an id for Server-Sent Events: the head's start (the epoch) and a
 * sequence number. A client that reconnects with the last id it saw gets what came after it, or, when that is
 * no longer kept (it is older than the buffer, or from before the head's restart), a reset: it must read the
 * state again. Not thread-safe: {@link EventFeed} holds its lock around it.
 */
final class EventLog {
    /**
     * @param event the SSE event name: "job" or "node"
     * @param data the event's JSON as published
     * @param jobId the job's id for a job event, else null
     */
    record Entry(long seq, String id, String event, String data, Long jobId) {
    }

    /** What a client reconnecting with an id gets: the events after it, or why it must start again. */
    sealed interface Since permits Replay, Reset {
    }

    record Replay(List<Entry> entries) implements Since {
    }

    /** @param reason for people; the client reads the state again and goes on from {@link #lastId()} */
    record Reset(String reason) implements Since {
    }

    private final String epoch;
    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long lastSeq;

    EventLog(String epoch, int capacity) {
        if (epoch.contains("-")) {
            throw new IllegalArgumentException("the epoch ends at the first '-' of an id");
        }
        this.epoch = epoch;
        this.capacity = capacity;
    }

    Entry append(String event, String data, Long jobId) {
        lastSeq++;
        Entry e = new Entry(lastSeq, epoch + "-" + lastSeq, event, data, jobId);
        entries.addLast(e);
        if (entries.size() > capacity) {
            entries.removeFirst();
        }
        return e;
    }

    /** The id of the newest event, or of none yet ("EPOCH-0"): where a client resumes after a reset. */
    String lastId() {
        return epoch + "-" + lastSeq;
    }

    /** @param lastEventId the Last-Event-ID a client sent; null for a client that starts now */
    Since since(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return new Replay(List.of());
        }
        int dash = lastEventId.indexOf('-');
        long seq;
        try {
            seq = dash < 0 ? -1 : Long.parseLong(lastEventId.substring(dash + 1));
        } catch (NumberFormatException e) {
            seq = -1;
        }
        if (seq < 0) {
            return new Reset("'" + lastEventId + "' is not an event id of this head");
        }
        if (!lastEventId.substring(0, dash).equals(epoch)) {
            return new Reset("the head restarted after event " + lastEventId);
        }
        if (seq > lastSeq) {
            return new Reset("event " + lastEventId + " was never sent");
        }
        long oldest = entries.isEmpty() ? lastSeq + 1 : entries.peekFirst().seq();
        if (seq < oldest - 1) {
            return new Reset("event " + lastEventId + " is older than the " + capacity + " events kept");
        }
        List<Entry> after = new ArrayList<>();
        for (Entry e : entries) {
            if (e.seq() > seq) {
                after.add(e);
            }
        }
        return new Replay(after);
    }
}
