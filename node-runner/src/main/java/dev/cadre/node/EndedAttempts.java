package dev.cadre.node;

import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reported outcome of every attempt this node ended, kept after its attempt directory is gone. The
 * scheduler re-sends place-job for attempts whose start it never saw confirmed (it may have crashed before
 * reading the node's events); such a repeat must report the outcome again, not run the job a second time.
 * Entries are pruned after a retention far longer than any scheduler restart.
 */
final class EndedAttempts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EndedAttempts.class);
    static final Duration RETENTION = Duration.ofDays(7);
    private static final AttemptRecordStore.Kind KIND = new AttemptRecordStore.Kind("ended_attempt", "ended",
            RETENTION, "attempt outcomes");
    private final AttemptRecordStore store;

    EndedAttempts(Path stateDir) throws IOException {
        this(stateDir, Clock.systemUTC());
    }

    /** @param clock stamps each outcome recorded, which the retention counts from */
    EndedAttempts(Path stateDir, Clock clock) throws IOException {
        this.store = AttemptRecordStore.open(stateDir, KIND, clock, EndedAttempts::decode);
    }

    /** Stores the outcome of an attempt placed without a job key. */
    void record(long jobId, int attempt, RunnerEvent outcome) throws IOException {
        record(jobId, attempt, null, outcome);
    }

    /**
     * Stores the outcome that was reported (runner-finished or runner-failed); callable from any thread.
     *
     * @param jobKey the attempt's place-job's job key, null when it had none
     */
    void record(long jobId, int attempt, String jobKey, RunnerEvent outcome) throws IOException {
        store.put(jobId, attempt, jobKey, MessageCodec.encode(outcome));
    }

    /** An outcome to record, with the attempt it ended and its place-job's job key (null: none). */
    record Outcome(long jobId, int attempt, String jobKey, RunnerEvent event) {
        Outcome(long jobId, int attempt, RunnerEvent event) {
            this(jobId, attempt, null, event);
        }
    }

    /** A recorded outcome, and the job key of the place-job it answered (null: none, or recorded before keys). */
    record Ended(String jobKey, RunnerEvent event) {
        /**
         * Whether this is the outcome of the attempt the place-job names, and so the answer to it. A key that
         * differs is another job's, given the same id by a cadre.db restored from a backup or made anew. A record
         * without a key (written before keys) answers no keyed place-job: that it is another job's cannot be ruled
         * out, and reporting it would end a job that never ran, with another's output, while running an attempt
         * again takes a head that crashed before reading its start right as this node was upgraded. A place-job
         * without a key (a head before keys) is answered as such heads expect.
         */
        boolean answers(NodeCommand.PlaceJob place) {
            return answers(place.jobKey());
        }

        /** The same for the job key of a place-job or query-attempt (null: a head before keys). */
        boolean answers(String askedKey) {
            return askedKey == null || askedKey.equals(jobKey);
        }
    }

    /** Stores outcomes in one transaction: all of them, or none when one cannot be stored. */
    void recordAll(List<Outcome> outcomes) throws IOException {
        store.putAll(outcomes.stream()
                .map(o -> new AttemptRecordStore.Entry(o.jobId(), o.attempt(), o.jobKey(),
                        MessageCodec.encode(o.event())))
                .toList());
    }

    Optional<RunnerEvent> find(long jobId, int attempt) throws IOException {
        return findEnded(jobId, attempt).map(Ended::event);
    }

    /**
     * The recorded outcome that answers the place-job, if any. One recorded for another job key is another job's of
     * the same id (cadre.db restored from a backup or made anew): it is logged and forgotten, so that a redelivery of
     * the place-job neither warns again nor finds it, and the attempt runs.
     */
    Optional<Ended> answering(NodeCommand.PlaceJob place) throws IOException {
        Optional<Ended> earlier = findEnded(place.jobId(), place.attempt());
        if (earlier.isEmpty() || earlier.get().answers(place)) {
            return earlier;
        }
        LOG.warn("job {} attempt {}: the outcome recorded here is another job's (job key {}, this place-job's {});"
                + " was cadre.db restored from a backup or made anew? Forgetting it and running this job",
                place.jobId(), place.attempt(), earlier.get().jobKey() == null ? "none, recorded before job keys"
                : earlier.get().jobKey(), place.jobKey());
        forget(place.jobId(), place.attempt());
        return Optional.empty();
    }

    /** The attempt's recorded outcome with its job key. */
    Optional<Ended> findEnded(long jobId, int attempt) throws IOException {
        Optional<AttemptRecordStore.Stored> stored = store.findStored(jobId, attempt);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Ended(stored.get().jobKey(), decode(stored.get().text())));
        } catch (IOException e) {
            throw new IOException("job " + jobId + " attempt " + attempt + ": " + e.getMessage(), e);
        }
    }

    /** Forgets the attempt's outcome: one of another job, which is not to be reported again. */
    void forget(long jobId, int attempt) throws IOException {
        store.forget(jobId, attempt);
    }

    private static RunnerEvent decode(String text) throws IOException {
        try {
            return MessageCodec.decode(text, RunnerEvent.class);
        } catch (ProtocolException e) {
            throw new IOException("unreadable outcome: " + e.getMessage(), e);
        }
    }

    /** Forgets outcomes older than the retention; a failure is logged and tried again next time. */
    void pruneExpired(Instant now) {
        store.pruneExpired(now);
    }

    @Override
    public void close() {
        store.close();
    }
}
