package dev.cadre.web;

import dev.cadre.db.JobStore;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.OutputMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * GET /api/jobs/ID/output?follow=true: the last lines, then the output as the node sees it written, as
 * Server-Sent Events: "output" ({offset, text}, with the id ATTEMPT:OFFSET to resume from with Last-Event-ID),
 * then one "end" ({attempt, state, exitCode}) once the attempt has ended and all of it was sent, or one "error"
 * ({status, detail}). The server closes the stream after either; an EventSource must be closed then, or it
 * reconnects. A job that has not started yet is waited for.
 *
 * <p>Each read asks the node to hold it until there is new output ({@link #WAIT_MILLIS} at most), so output
 * reaches the client within the node's recheck interval without the head asking again and again. No step waits:
 * each runs on the output workers when its answer or its time comes (never on the broker's or the timer's thread,
 * as a step sends to the broker), and a step that fails in any way ends the stream with "error" rather than
 * leaving it open with nothing but keepalives.
 */
final class OutputFollow {
    static final long WAIT_MILLIS = 15_000;
    /** How soon to read again when the node and the scheduler do not yet agree that the attempt runs. */
    static final long SETTLE_MILLIS = 100;
    /** How often a task not yet started is looked for: its start is one of many events, too many to look at each. */
    static final long TASK_LOOK_MILLIS = 250;
    private final OutputApi api;
    private final NodeReads reads;
    private final EventFeed feed;
    private final JobStore jobs;
    private final JobLookup lookup;
    private final EventStreams streams;
    private final ScheduledExecutorService timers;
    private final Executor workers;

    OutputFollow(OutputApi api, NodeReads reads, EventFeed feed, JobStore jobs, JobLookup lookup,
            EventStreams streams, ScheduledExecutorService timers, Executor workers) {
        this.api = api;
        this.reads = reads;
        this.feed = feed;
        this.jobs = jobs;
        this.lookup = lookup;
        this.streams = streams;
        this.timers = timers;
        this.workers = workers;
    }

    /** A step of a follow, which may fail in any way; see {@link Follower#guard}. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /** @param attempt the attempt asked for, or null for the job's current one (or its first, once it starts) */
    void start(Exchange x, JobRecord job, Integer attempt, String stream, int tail) throws ApiException {
        String last = x.request().getHeaders().get("Last-Event-ID");
        SseStream sse = streams.open(x);
        sse.announce();
        Follower f = new Follower(sse, job.id(), stream, tail);
        if (attempt == null && job.attempt() == 0) {
            f.awaitStart();
        } else {
            int a = attempt == null ? job.attempt() : attempt;
            workers.execute(f.guard(() -> f.run(a, resumeOffset(last, a))));
        }
    }

    /**
     * Follows an array task that has not started: it is looked up every {@link #TASK_LOOK_MILLIS} until it has a
     * record of its own, which is then followed as a job is; a task that will never start (its array ended first)
     * ends the stream with the array's state.
     */
    void awaitTask(Exchange x, JobReference ref, String stream, int tail) throws ApiException {
        SseStream sse = streams.open(x);
        sse.announce();
        sse.comment("task " + ref + " has not started; waiting for it");
        lookForTask(sse, ref, stream, tail);
    }

    private void lookForTask(SseStream sse, JobReference ref, String stream, int tail) {
        Follower waiting = new Follower(sse, ref.jobId(), stream, tail);
        timers.schedule(() -> workers.execute(waiting.guard(() -> {
            if (!sse.isOpen()) {
                return;
            }
            JobRecord found = lookup.find(ref).orElse(null);
            if (found == null) {
                waiting.error(404, "job " + ref + " does not exist");
            } else if (ref.taskId().equals(found.array().taskId())) {
                Follower f = new Follower(sse, found.id(), stream, tail);
                if (found.attempt() == 0) {
                    f.awaitStart();
                } else {
                    f.run(found.attempt(), null);
                }
            } else if (found.state().isTerminal()) {
                new Follower(sse, found.id(), stream, tail).end(found);
            } else {
                lookForTask(sse, ref, stream, tail);
            }
        })), TASK_LOOK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The offset of an id "ATTEMPT:OFFSET" of the same attempt; null to start with the last lines instead. */
    static Long resumeOffset(String lastEventId, int attempt) {
        if (lastEventId == null) {
            return null;
        }
        String[] parts = lastEventId.split(":");
        try {
            return parts.length == 2 && Integer.parseInt(parts[0]) == attempt ? Long.valueOf(parts[1]) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** One client's follow of one attempt. */
    private final class Follower {
        private final SseStream sse;
        private final long jobId;
        private final String stream;
        private final int tail;
        /** Whether the follow has begun, once the job started: the feed and the check may both find it so. */
        private final AtomicBoolean begun = new AtomicBoolean();
        private OutputApi.Source source;
        private long offset;
        /** The start of a character cut at the end of the last chunk. */
        private byte[] carry = new byte[0];

        Follower(SseStream sse, long jobId, String stream, int tail) {
            this.sse = sse;
            this.jobId = jobId;
            this.stream = stream;
            this.tail = tail;
        }

        /** The step, ending the stream with "error" if it fails: a refusal with its status, anything else 500. */
        Runnable guard(Step step) {
            return () -> {
                try {
                    step.run();
                } catch (Exception e) {
                    ApiException refusal = OutputApi.refusal("following the output of job " + jobId, e);
                    error(refusal.status, refusal.getMessage());
                }
            };
        }

        /** Waits for the job's first start (or its end without one) on the event feed. */
        void awaitStart() {
            // Set once subscribed; an event may come before that, and the stream's end unsubscribes anyway.
            AtomicReference<Runnable> unsubscribe = new AtomicReference<>(() -> { });
            Runnable check = () -> workers.execute(guard(() -> {
                JobRecord j = job();
                if ((j.attempt() > 0 || j.state().isTerminal()) && begun.compareAndSet(false, true)) {
                    unsubscribe.get().run();
                    if (j.attempt() > 0) {
                        run(j.attempt(), null);
                    } else {
                        end(j);
                    }
                }
            }));
            EventFeed.Listener recheck = new EventFeed.Listener() {
                @Override
                public void event(EventLog.Entry entry) {
                    check.run();
                }

                @Override
                public void reset(String reason, String lastId) {
                    check.run();
                }
            };
            unsubscribe.set(feed.subscribe(null, e -> Long.valueOf(jobId).equals(e.jobId()), recheck));
            sse.onClose(unsubscribe.get());
            sse.comment("job " + jobId + " has not started; waiting for it");
            // It may have started between the caller's read and the subscription.
            check.run();
        }

        private JobRecord job() throws ApiException {
            return jobs.find(jobId).orElseThrow(() -> new ApiException(404, "job " + jobId + " is no longer stored"));
        }

        private void run(int attempt, Long resumeAt) throws ApiException {
            source = api.source(job(), attempt, stream);
            if (resumeAt != null) {
                offset = resumeAt;
                next();
                return;
            }
            api.end(source, tail, stillRuns() ? WAIT_MILLIS : 0).whenCompleteAsync((end, failure) -> guard(() -> {
                if (failure != null) {
                    throw OutputApi.refusal("following the output of job " + jobId, failure);
                }
                if (end.last().absent()) {
                    absent(end.last(), () -> run(attempt, null));
                    return;
                }
                OutputText.Tail t = OutputText.lastLines(end.bytes(), end.start() == 0, tail);
                int from = tail == 0 ? end.bytes().length : t.skipped();
                offset = end.start() + end.bytes().length;
                emit(Arrays.copyOfRange(end.bytes(), from, end.bytes().length));
                next();
            }).run(), workers);
        }

        /** Whether the attempt followed still holds its nodes, so its output may yet come. */
        private boolean stillRuns() throws ApiException {
            JobRecord j = job();
            return j.attempt() == source.attempt() && j.state().isActive();
        }

        private void next() {
            if (!sse.isOpen()) {
                return;
            }
            OutputMessage.ReadOutput read = source.read(offset, OutputMessage.MAX_CHUNK_BYTES, WAIT_MILLIS);
            reads.read(source.nodeId(), read).whenCompleteAsync((chunk, failure) -> guard(() -> {
                if (failure != null) {
                    error(504, "node " + source.nodeId() + " did not answer: " + failure);
                } else if (chunk.absent()) {
                    absent(chunk, this::next);
                } else if (chunk.error() != null) {
                    error(404, chunk.error());
                } else {
                    byte[] data = Base64.getDecoder().decode(chunk.data());
                    offset = chunk.offset() + data.length;
                    emit(data);
                    if (chunk.running() || offset < chunk.size()) {
                        // Read on only as fast as the client takes it, or a slow one would hold the whole file here.
                        sse.whenDrained(() -> workers.execute(guard(this::next)));
                    } else if (stillRuns()) {
                        // The node has not started the attempt yet, or the scheduler has not yet heard it ended.
                        timers.schedule(() -> workers.execute(guard(this::next)), SETTLE_MILLIS,
                                TimeUnit.MILLISECONDS);
                    } else {
                        end(job());
                    }
                }
            }).run(), workers);
        }

        /**
         * The node has no record or file of the attempt after waiting for them: it may still be on its way while the
         * job holds its nodes, so the read is made again; otherwise there is nothing to follow.
         */
        private void absent(OutputMessage.OutputChunk chunk, Step again) throws ApiException {
            if (stillRuns() && sse.isOpen()) {
                workers.execute(guard(again));
            } else {
                error(404, chunk.error());
            }
        }

        /** Sends the bytes that end on a whole character; the rest waits for the next chunk. */
        private void emit(byte[] data) {
            byte[] bytes = new byte[carry.length + data.length];
            System.arraycopy(carry, 0, bytes, 0, carry.length);
            System.arraycopy(data, 0, bytes, carry.length, data.length);
            int whole = OutputText.wholeCharacters(bytes, bytes.length);
            carry = Arrays.copyOfRange(bytes, whole, bytes.length);
            if (whole > 0) {
                long textEnd = offset - carry.length;
                sse.event(source.attempt() + ":" + textEnd, "output", MessageCodec.encodeValue(Map.of(
                        "offset", textEnd - whole, "text", new String(bytes, 0, whole, StandardCharsets.UTF_8))));
            }
        }

        private void end(JobRecord j) {
            Integer attempt = source == null ? null : source.attempt();
            sse.event(null, "end", MessageCodec.encodeValue(AttemptEnd.of(j, attempt,
                    attempt == null ? List.of() : jobs.history().attempts(j.id()))));
            sse.finish();
        }

        private void error(int status, String detail) {
            sse.event(null, "error", MessageCodec.encodeValue(Map.of("status", status, "detail", detail)));
            sse.finish();
        }
    }
}
