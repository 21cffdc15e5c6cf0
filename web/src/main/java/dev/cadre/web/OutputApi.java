package dev.cadre.web;

import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.OutputMessage;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;

/**
 * GET /api/jobs/ID/output: the last lines of a job's stdout or stderr, read through the broker from the node
 * that coordinated the attempt (clusters need not share a file system), or, with follow=true, those lines and
 * then the output as it is written, as Server-Sent Events ({@link OutputFollow}).
 */
final class OutputApi {
    static final int DEFAULT_TAIL = 100;
    static final int MAX_TAIL_LINES = 10_000;
    /** The most of a file's end read for its last lines. */
    static final int MAX_TAIL_BYTES = 1 << 20;

    /** Where one attempt's output is read from. */
    record Source(long jobId, int attempt, String stream, String nodeId) {
        OutputMessage.ReadOutput read(long offset, int maxBytes, long waitMillis) {
            return new OutputMessage.ReadOutput(jobId, attempt, stream, offset, maxBytes, waitMillis);
        }
    }

    /**
     * The last lines of an attempt's stream.
     *
     * @param offset where the first line starts in the file
     * @param size the file's size when it was read; lines beyond it are not included
     * @param truncated whether the file has more before these lines
     * @param running whether the attempt still runs, so more output may come
     */
    record View(long jobId, int attempt, String stream, String node, String path, List<String> lines, long offset,
            long size, boolean truncated, boolean running) {
    }

    private final JobLookup lookup;
    private final JobStore jobs;
    private final NodeStore nodes;
    private final NodeReads reads;
    private final BrokerWaits waits;
    private final Executor workers;
    private final OutputFollow follow;

    /** @param workers where the steps of a read of several chunks run: never the broker's or the timer's thread */
    OutputApi(JobLookup lookup, JobStore jobs, NodeStore nodes, NodeReads reads, EventFeed feed,
            EventStreams streams, BrokerWaits waits, ScheduledExecutorService timers, Executor workers) {
        this.lookup = lookup;
        this.jobs = jobs;
        this.nodes = nodes;
        this.reads = reads;
        this.waits = waits;
        this.workers = workers;
        this.follow = new OutputFollow(this, reads, feed, jobs, lookup, streams, timers, workers);
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/api/jobs/{id}/output", Map.of("id", JobReference.SYNTAX),
                Route.Access.TOKEN_OR_QUERY, this::output).taking("stream", "tail", "attempt", "follow"));
    }

    private Object output(Exchange x) throws Exception {
        String followParam = x.query("follow");
        if (followParam != null && !followParam.equals("true") && !followParam.equals("false")) {
            throw new ApiException(400, "'follow' must be true or false", "follow");
        }
        if (x.query().getValue(ApiHandler.TOKEN_PARAMETER) != null && !"true".equals(followParam)) {
            // Only an EventSource needs it; elsewhere a token in the URL would only end up in logs and links.
            throw new ApiException(400, "'" + ApiHandler.TOKEN_PARAMETER + "' is taken only with follow=true (an"
                    + " event stream); send the token as 'Authorization: Bearer <token>'",
                    ApiHandler.TOKEN_PARAMETER);
        }
        String stream = x.query("stream") == null ? "stdout" : x.query("stream");
        if (!stream.equals("stdout") && !stream.equals("stderr")) {
            throw new ApiException(400, "'stream' must be stdout or stderr, not '" + stream + "'", "stream");
        }
        int tail = (int) QueryParameters.bounded(x.query("tail"), "tail", 0, MAX_TAIL_LINES, DEFAULT_TAIL);
        Integer attempt = x.query("attempt") == null ? null
                : (int) QueryParameters.bounded(x.query("attempt"), "attempt", 1, Integer.MAX_VALUE, 0);
        String id = x.parameter(0);
        JobRecord job = lookup.require(id);
        if (attempt != null && attempt > job.attempt()) {
            throw new ApiException(404, "job " + id + " has no attempt " + attempt + "; it has had " + job.attempt());
        }
        if ("true".equals(followParam)) {
            JobReference ref = JobReference.parse(id).orElseThrow();
            if (attempt == null && ref.taskId() != null && !ref.taskId().equals(job.array().taskId())) {
                // The task waits inside its array's record and will start under an id of its own.
                follow.awaitTask(x, ref, stream, tail);
            } else {
                follow.start(x, job, attempt, stream, tail);
            }
            return Exchange.STREAMING;
        }
        if (job.attempt() == 0) {
            throw new ApiException(409, "job " + id + " has not started, so it has no output yet", null,
                    job.state());
        }
        Source source = source(job, attempt == null ? job.attempt() : attempt, stream);
        return tail(source, tail);
    }

    /** The node that coordinated the attempt, which holds its output; refused when it is unknown or DOWN. */
    Source source(JobRecord job, int attempt, String stream) throws ApiException {
        List<NodeRecord> known = nodes.list();
        String nodeId;
        if (attempt == job.attempt() && job.allocation() != null) {
            nodeId = job.allocation().coordinator().nodeId();
        } else {
            AttemptRecord a = jobs.history().attempts(job.id()).stream().filter(r -> r.attempt() == attempt)
                    .findFirst().orElseThrow(() -> new ApiException(404, "job " + job.id() + " has no record of"
                            + " attempt " + attempt));
            String host = a.nodes().split(",")[0];
            nodeId = known.stream().filter(n -> n.hostname().equals(host))
                    .max(Comparator.comparing((NodeRecord n) -> n.state() == NodeRecord.NodeState.UP)
                            .thenComparing(NodeRecord::lastSeen)).map(NodeRecord::id)
                    .orElseThrow(() -> new ApiException(404, "node " + host + ", which ran attempt " + attempt
                            + " of job " + job.id() + ", is no longer known"));
        }
        NodeRecord node = known.stream().filter(n -> n.id().equals(nodeId)).findFirst().orElse(null);
        if (node == null) {
            // Deleted (scontrol delete): a request to its queue would wait out the read timeout for nobody.
            String host = attempt == job.attempt() && job.allocation() != null
                    ? job.allocation().coordinator().hostname() : nodeId;
            throw new ApiException(404, "node " + host + " (" + nodeId + "), which ran attempt " + attempt + " of job "
                    + job.id() + ", is no longer known; its output can be read once it registers again");
        }
        if (node.state() == NodeRecord.NodeState.DOWN) {
            throw new ApiException(503, "node " + node.hostname() + " holds the output of job " + job.id()
                    + " and is DOWN; it can be read once the node is back");
        }
        return new Source(job.id(), attempt, stream, nodeId);
    }

    /**
     * The end of a file as read: its bytes from start on, and the last chunk's answer.
     *
     * @param start where the bytes begin in the file
     */
    record End(byte[] bytes, long start, OutputMessage.OutputChunk last) {
    }

    /**
     * Reads back from the end of the file until it has the lines, the file's start, or MAX_TAIL_BYTES. Fails with
     * an {@link ApiException} (in a CompletionException) saying why, as {@link #ask} does.
     *
     * @param waitMillis how long the node may wait for there to be anything at all
     */
    CompletableFuture<End> end(Source source, int lines, long waitMillis) {
        return ask(source, source.read(-OutputMessage.MAX_CHUNK_BYTES, OutputMessage.MAX_CHUNK_BYTES, waitMillis),
                true).thenComposeAsync(last -> last.absent()
                        ? CompletableFuture.completedFuture(new End(new byte[0], 0, last))
                        : before(source, lines, Base64.getDecoder().decode(last.data()), last.offset(), last),
                workers);
    }

    /** Puts the chunks before start in front of end until it has enough; see {@link #end}. */
    private CompletableFuture<End> before(Source source, int lines, byte[] end, long start,
            OutputMessage.OutputChunk last) {
        if (start <= 0 || end.length >= MAX_TAIL_BYTES || newlines(end) > lines) {
            return CompletableFuture.completedFuture(new End(end, start, last));
        }
        int more = (int) Math.min(OutputMessage.MAX_CHUNK_BYTES, start);
        return ask(source, source.read(start - more, more, 0), false).thenComposeAsync(chunk -> {
            ByteArrayOutputStream joined = new ByteArrayOutputStream(more + end.length);
            joined.writeBytes(Base64.getDecoder().decode(chunk.data()));
            joined.writeBytes(end);
            return before(source, lines, joined.toByteArray(), chunk.offset(), last);
        }, workers);
    }

    /** The last lines, read while this request holds one of the {@link BrokerWaits}. */
    private View tail(Source source, int lines) throws Exception {
        End end;
        try {
            end = waits.await(() -> end(source, lines, 0));
        } catch (ExecutionException e) {
            throw refusal("reading the output of job " + source.jobId(), e);
        }
        if (end.last().absent()) {
            throw new ApiException(404, end.last().error());
        }
        OutputText.Tail t = OutputText.lastLines(end.bytes(), end.start() == 0, lines);
        return new View(source.jobId(), source.attempt(), source.stream(), source.nodeId(), end.last().path(),
                lines == 0 ? List.of() : t.lines(), end.start() + t.skipped(), end.last().size(), t.more(),
                end.last().running());
    }

    /**
     * The ApiException a failed read carries, however wrapped; anything else is an internal error, reported.
     *
     * @param during what failed, for the head's log
     */
    static ApiException refusal(String during, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof ApiException a ? a : InternalErrors.report(during, cause);
    }

    private static int newlines(byte[] b) {
        int n = 0;
        for (byte c : b) {
            if (c == '\n') {
                n++;
            }
        }
        return n;
    }

    /**
     * One read; the node's refusal or its silence become the HTTP status that says why (an {@link ApiException}
     * in a CompletionException).
     *
     * @param absentToo whether an answer that the attempt's record or file is not there (yet) is returned
     */
    private CompletableFuture<OutputMessage.OutputChunk> ask(Source source, OutputMessage.ReadOutput request,
            boolean absentToo) {
        return reads.read(source.nodeId(), request).handle((chunk, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                throw new CompletionException(cause instanceof TimeoutException
                        ? new ApiException(504, "node " + source.nodeId() + " did not answer within "
                                + (request.waitMillis() + NodeReads.ANSWER_MILLIS) / 1000 + " s")
                        : new ApiException(502, "no usable answer from node " + source.nodeId() + ": "
                                + cause.getMessage()));
            }
            if (chunk.error() != null && !(absentToo && chunk.absent())) {
                throw new CompletionException(new ApiException(404, chunk.error()));
            }
            return chunk;
        });
    }
}
