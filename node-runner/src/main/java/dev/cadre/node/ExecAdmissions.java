package dev.cadre.node;

import dev.cadre.node.core.ExecAdmission;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.NodeCommand;
import jakarta.jms.Destination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which exec requests may run here ({@link ExecService}): those of attempts the node holds. A request that overtook
 * its attempt's place-job waits for it, up to a deadline; one of an attempt seen to end here is refused without a
 * wait. The attempts held, the requests waiting and the ends seen change under one lock, so that a request is
 * admitted, queued for the place-job, or refused with the release that ends its attempt, never lost between them.
 */
final class ExecAdmissions {
    private static final int MAX_WAITING = 1024;
    private static final int REMEMBERED_ENDS = 4096;

    /** A request waiting for its attempt's place-job until {@code deadline} ({@link System#nanoTime}). */
    record Waiting(Destination replyTo, ExecMessage.ExecRequest request, long deadline) {
    }

    private final String nodeId;
    private final Duration placeWait;
    /** The attempts this node holds, coordinator or not; changed under {@link #waiting}'s lock. */
    private final HeldAttempts held;
    /** Requests that arrived before their place-job, by job-attempt key; guarded by itself, with {@link #ended}. */
    private final Map<String, List<Waiting>> waiting = new HashMap<>();
    /** Attempts seen to end here, the most recent kept, so that their requests are refused without a wait. */
    private final Set<String> ended = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_ENDS;
        }
    });

    /** Requests released while not running or waiting here, the most recent kept; guarded by {@link #waiting}. */
    private final Set<String> withdrawn = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_ENDS;
        }
    });

    /** @param placeWait how long a request waits for its attempt's place-job */
    ExecAdmissions(String nodeId, HeldAttempts held, Duration placeWait) {
        this.nodeId = nodeId;
        this.held = held;
        this.placeWait = placeWait;
    }

    /** Holds the attempt; returns the requests that waited for it, to be started, or null when none did. */
    List<Waiting> hold(NodeCommand.PlaceJob place) {
        synchronized (waiting) {
            held.hold(place);
            return waiting.remove(HeldAttempts.key(place.jobId(), place.attempt()));
        }
    }

    /** Releases the attempt; returns the requests that waited for it, to be refused, or null when none did. */
    List<Waiting> release(long jobId, int attempt) {
        String key = HeldAttempts.key(jobId, attempt);
        synchronized (waiting) {
            held.release(jobId, attempt);
            ended.add(key);
            return waiting.remove(key);
        }
    }

    /**
     * Whether the request may run: {@link ExecAdmission.Wait} when it was queued for its attempt's place-job, a
     * refusal when too many wait already.
     */
    ExecAdmission.Verdict admit(Destination replyTo, ExecMessage.ExecRequest request) {
        String key = HeldAttempts.key(request.jobId(), request.attempt());
        synchronized (waiting) {
            if (withdrawn.remove(request.requestId())) {
                return new ExecAdmission.Refuse("request " + request.requestId() + " was released by its requester"
                        + " before it started");
            }
            ExecAdmission.Verdict verdict = ExecAdmission.decide(request, held.get(request.jobId(),
                    request.attempt()), ended.contains(key), nodeId);
            if (verdict instanceof ExecAdmission.Wait) {
                int count = waiting.values().stream().mapToInt(List::size).sum();
                if (count >= MAX_WAITING) {
                    return new ExecAdmission.Refuse("node " + nodeId + " already has " + count
                            + " requests waiting for their jobs");
                }
                waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(new Waiting(replyTo, request,
                        System.nanoTime() + placeWait.toNanos()));
            }
            return verdict;
        }
    }

    boolean waitingFor(String requestId) {
        synchronized (waiting) {
            return waiting.values().stream().flatMap(List::stream)
                    .anyMatch(w -> w.request().requestId().equals(requestId));
        }
    }

    /**
     * The request's requester let it go (its agent went away): dropped if it waits for its attempt's place-job, and
     * otherwise remembered, since it may be on its way to start (its place-job just came), and then is not started.
     *
     * @return whether it was waiting
     */
    boolean withdraw(String requestId) {
        synchronized (waiting) {
            boolean found = false;
            for (List<Waiting> list : waiting.values()) {
                found |= list.removeIf(w -> w.request().requestId().equals(requestId));
            }
            waiting.values().removeIf(List::isEmpty);
            if (!found) {
                withdrawn.add(requestId);
            }
            return found;
        }
    }

    /** The runner stops: takes every request still waiting, to be handed to the next runner. */
    List<Waiting> takeAll() {
        synchronized (waiting) {
            List<Waiting> all = waiting.values().stream().flatMap(List::stream).toList();
            waiting.clear();
            return all;
        }
    }

    /** Takes the requests whose place-job did not come by their deadline. */
    List<Waiting> takeOverdue() {
        long now = System.nanoTime();
        List<Waiting> overdue = new ArrayList<>();
        synchronized (waiting) {
            for (List<Waiting> list : waiting.values()) {
                list.removeIf(w -> now - w.deadline() >= 0 && overdue.add(w));
            }
            waiting.values().removeIf(List::isEmpty);
        }
        return overdue;
    }
}
