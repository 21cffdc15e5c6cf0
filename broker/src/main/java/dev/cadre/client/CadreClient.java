package dev.cadre.client;

import dev.cadre.broker.ClientFile;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobSpec;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Submits jobs to Cadre and follows them, over one broker connection. Thread-safe.
 *
 * <p>The client subscribes to the endings of its user's jobs when it connects, before it sends anything, so no
 * ending of a job it submits can slip past. Replies and events are handled on one event thread in arrival order; after a
 * reconnect the client takes a new reply queue and new subscriptions (under new names: the broker may delete the old
 * names with the old connection after the client is back), then sends every outstanding submission again (same
 * submission id, so the same job), and the answers carry the jobs' current states, which covers events published
 * while the connection was down.
 *
 * <p>No method waits for the broker: {@link #submit}, {@link #submitAll} and {@link #cancel} queue their requests
 * for the client's send thread and return, also while the broker is away (the connection then reconnects for ever).
 * Their futures have a deadline of {@code replyTimeout} per send, counted from the send (time in the client's own
 * queue while the send thread works through a burst does not count; time the send waits for an absent broker does),
 * and a submission is sent at most {@code sendAttempts} times (10 s and 3 by default, {@link ClientSettings}) before
 * it fails with {@link ReplyTimeoutException}. Single submits go out one message at a time, some hundreds a second;
 * {@link #submitAll} sends up to 1,000 per message. {@link #close()} returns within about twice
 * {@code replyTimeout}.
 */
public final class CadreClient implements AutoCloseable {
    private final ClientSettings settings;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ClientParts parts;

    private CadreClient(ClientFile file, ClientSettings settings, Connection connection) throws JMSException {
        this.settings = settings;
        this.parts = new ClientParts(file, settings, connection, closed::get);
    }

    /** Connects with the client file from $CADRE_CONFIG, else the default data directory's. */
    public static CadreClient connect() throws CadreException {
        return connect(ClientFile.locate(null, System.getenv(), ClientFile.CLIENT_FILE));
    }

    public static CadreClient connect(Path clientFile) throws CadreException {
        try {
            return connect(ClientFile.read(clientFile), ClientSettings.defaults());
        } catch (IOException e) {
            throw new CadreException(e.getMessage(), e);
        }
    }

    public static CadreClient connect(ClientFile file) throws CadreException {
        return connect(file, ClientSettings.defaults());
    }

    /**
     * Connects with the settings (such as {@code ClientSettings.defaults().withReplyTimeout(...)}). The broker must
     * be up: connecting tries a few times and fails with a {@link CadreException} after a few seconds (about 5 s)
     * when it is not. Reconnecting for ever, and never waiting for the broker, apply once connected.
     */
    public static CadreClient connect(ClientFile file, ClientSettings settings) throws CadreException {
        if (file.brokerUrl() == null) {
            throw new CadreException("the client file names no brokerUrl");
        }
        Connection c = EventSubscriptions.open(file, settings, null);
        try {
            return new CadreClient(file, settings, c);
        } catch (JMSException e) {
            EventSubscriptions.closeQuietly(c);
            throw new CadreException("cannot subscribe to job events at " + file.brokerUrl() + ": " + e.getMessage(),
                    e);
        }
    }

    public String user() {
        return settings.user();
    }

    /** Submits with a new random submission id. */
    public Submission submit(JobSpec spec) throws CadreException {
        return submit(spec, UUID.randomUUID().toString());
    }

    /**
     * Submits under the caller's submission id: sending the same id again (after a timeout, a reconnect or a
     * restart of the caller) returns the same job instead of creating a second one. Returns without waiting for the
     * broker; a send that fails is repeated with the same id, and the futures fail with
     * {@link ReplyTimeoutException} after {@code sendAttempts} x {@code replyTimeout} without an answer.
     *
     * @throws CadreException when the client is closed
     */
    public Submission submit(JobSpec spec, String submissionId) throws CadreException {
        checkOpen();
        return parts.submissions.submit(spec, submissionId);
    }

    /**
     * Submits many jobs, each with a new random submission id, in as few submit-jobs messages as the limits
     * allow: many times faster than one submit per job. Each job is accepted or rejected on its own.
     *
     * Returns without waiting for the broker; an unanswered or failed batch is sent again one submission at a time.
     *
     * @throws CadreException when the client is closed
     */
    public List<Submission> submitAll(List<JobSpec> specs) throws CadreException {
        return submitAll(specs, specs.stream().map(s -> UUID.randomUUID().toString()).toList());
    }

    /** As {@link #submitAll(List)}, under the caller's submission ids (one per spec, in order). */
    public List<Submission> submitAll(List<JobSpec> specs, List<String> submissionIds) throws CadreException {
        if (specs.size() != submissionIds.size()) {
            throw new IllegalArgumentException(specs.size() + " specs but " + submissionIds.size()
                    + " submission ids");
        }
        checkOpen();
        return parts.submissions.submitAll(specs, submissionIds);
    }

    /**
     * Asks the scheduler to cancel a job; the answer says whether it could. Returns without waiting for the broker;
     * the future fails with a {@link CadreException} naming the job after {@code replyTimeout} from the send without
     * an answer, when the send fails, or at {@link #close()} (cancelling again is safe). A cancel made before
     * {@code close()} is sent before the connection closes, if the broker takes it within {@code replyTimeout}.
     * The cancel names the client's user as who asks ({@link ClientSettings#user()}): the job keeps it, and sacct
     * shows it as {@code CANCELLED by}.
     */
    public CompletableFuture<ClientReply.CancelResult> cancel(long jobId) throws CadreException {
        checkOpen();
        return parts.cancels.send(jobId);
    }

    /**
     * Reads what a running job has used so far on each node of its allocation, as sstat does, through the head's REST
     * API (the client file's httpUrl and token). The future fails with a {@link UsageRefusedException} when the head
     * will not read it, else with a {@link CadreException} naming the job (no head, no answer in time, close()).
     */
    public CompletableFuture<JobUsage> usage(long jobId) throws CadreException {
        checkOpen();
        return parts.usageReads.read(jobId);
    }

    /**
     * When and where the scheduler expects a pending job to start ({@code squeue --start}), and why it waits. The
     * future fails with a {@link NotPendingException} for an unknown, running or ended job, a
     * {@link ForecastUnavailableException} when the scheduler is busy or stopping, else a {@link CadreException}
     * naming the job (no head, no answer within {@code replyTimeout}, close()). See {@link StartEstimate}.
     */
    public CompletableFuture<StartEstimate> expectedStart(long jobId) throws CadreException {
        checkOpen();
        return parts.forecasts.expectedStart(jobId);
    }

    /**
     * When and where a job of the spec would start were it submitted now, storing nothing ({@code sbatch
     * --test-only}); a spec a submission would refuse fails with {@link JobRejectedException}, else as above.
     */
    public CompletableFuture<StartEstimate> trialStart(JobSpec spec) throws CadreException {
        checkOpen();
        return parts.forecasts.trialStart(spec);
    }

    /** Receives the state changes that pass the filter from now on, until the watch is closed. */
    public Watch watch(EventFilter filter, Consumer<JobEvent.JobStateChanged> listener) throws CadreException {
        checkOpen();
        return parts.subscriptions.watch(filter, Watch.stateChanges(listener));
    }

    /**
     * As {@link #watch}, with every event on the topic that passes the filter: besides state changes, a job's
     * updates ({@code job-updated}), parts of arrays joining other records ({@code array-part-joined}) and, without a
     * job or array in the filter, the nodes' events (docs/protocol.md 8). Types this client does not know are
     * skipped.
     */
    public Watch watchEvents(EventFilter filter, Consumer<JobEvent> listener) throws CadreException {
        checkOpen();
        return parts.subscriptions.watch(filter, listener);
    }

    /**
     * Receives the events that pass the filter through a durable subscription, which the broker keeps while
     * nobody is connected to it: a later watch with the same client id and name gets everything published in
     * between. Only one connection at a time may use a client id. A different filter replaces the subscription.
     */
    public Watch watchDurable(String clientId, String subscriptionName, EventFilter filter,
            Consumer<JobEvent.JobStateChanged> listener) throws CadreException {
        checkOpen();
        return parts.subscriptions.durable(clientId, subscriptionName, filter, listener);
    }

    /** Deletes a durable subscription that no watch is using, with the events it holds. */
    public void deleteSubscription(String clientId, String subscriptionName) throws CadreException {
        checkOpen();
        parts.subscriptions.delete(clientId, subscriptionName);
    }

    /**
     * Runs after the connection came back from a broker failure. Non-durable watches may have missed events
     * meanwhile; a listener can read the current state again.
     */
    public void addReconnectListener(Runnable listener) {
        parts.reconnection.addListener(listener);
    }

    private void checkOpen() throws CadreException {
        if (closed.get()) {
            throw new CadreException("the Cadre client is closed");
        }
    }

    /**
     * Ends every watch; every submission not yet ended fails, while its job goes on in Cadre, and so does every
     * cancel not yet answered.
     *
     * <p>Cancels made before {@code close()} are not lost: a cancelled {@link Submission#result()} or
     * {@link #cancel} whose request is still queued is sent first, and for a result cancelled before its acceptance
     * {@code close()} waits for the acceptance and then sends the cancel. Both waits together take at most
     * {@code replyTimeout}, and only while the broker is connected: a cancel the broker has taken is carried out by
     * the scheduler after this client is gone. Returns within about twice {@code replyTimeout}, also while the broker
     * is away: the connection is then given up without asking the broker.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        parts.close();
    }
}
