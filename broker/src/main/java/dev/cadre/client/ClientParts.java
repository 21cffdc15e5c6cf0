package dev.cadre.client;

import dev.cadre.broker.ClientFile;
import dev.cadre.broker.RequestClient;
import dev.cadre.protocol.JobEvent;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a {@link CadreClient} over its one connection: wired together when it connects, the endings of its
 * user's jobs subscribed to before anything can be sent, and shut down in order when it closes.
 */
final class ClientParts {
    /** The client's own log: what users configure, whichever part writes to it. */
    private static final Logger LOG = LoggerFactory.getLogger(CadreClient.class);
    private final ClientFile file;
    private final ClientSettings settings;
    private final Connection connection;
    private final Session ownEvents;
    private final RequestClient requests;
    private final EventThread events = new EventThread();
    private final PendingResults pending;
    private final SendThread sends;
    private final HeadRestApi head;
    final SubmissionSender submissions;
    final EventSubscriptions subscriptions;
    final Reconnection reconnection;
    final CancelRequests cancels;
    final UsageRequests usageReads;
    final StartForecasts forecasts;

    /** @param closed whether the client has been closed, which the submissions and reconnects check */
    ClientParts(ClientFile file, ClientSettings settings, Connection connection, BooleanSupplier closed)
            throws JMSException {
        this.file = file;
        this.settings = settings;
        this.connection = connection;
        this.pending = new PendingResults(settings.recentEndings());
        this.subscriptions = new EventSubscriptions(file, settings, connection);
        this.ownEvents = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        // Endings only: the results need nothing else, and the broker then delivers a third of the events.
        Watch endings = Watch.plain(ownEvents, EventFilter.user(settings.user()).endings(),
                Watch.stateChanges(e -> events.execute(() -> changed(e))), w -> { });
        this.requests = new RequestClient(connection);
        this.sends = new SendThread(requests, settings.replyTimeout());
        this.cancels = new CancelRequests(sends, settings.replyTimeout(), settings.user());
        this.head = new HeadRestApi(file.httpUrl(), file.token(), file.headCertificate(), settings.replyTimeout());
        this.usageReads = new UsageRequests(head);
        this.forecasts = new StartForecasts(sends, settings.replyTimeout(), head, settings.user());
        this.submissions = new SubmissionSender(sends, events, settings, pending, this::cancelJob, closed);
        this.reconnection = new Reconnection(file.brokerUrl(), requests, endings, submissions, subscriptions, events,
                closed);
        reconnection.follow(connection);
    }

    private void changed(JobEvent.JobStateChanged e) {
        for (Submission s : pending.changed(e)) {
            s.finish(JobResult.of(e));
        }
    }

    /** A cancelled result's cancel; also during close(), which waits for these to go out. */
    private void cancelJob(long jobId) {
        cancels.send(jobId).whenComplete((r, e) -> {
            if (e != null || !r.ok()) {
                LOG.info("cancel of job {}: {}", jobId, e != null ? e.getMessage() : r.reason());
            }
        });
    }

    /** {@link CadreClient#close()}, which says what it waits for; called once. */
    void close() {
        long deadline = System.nanoTime() + settings.replyTimeout().toNanos();
        CompletableFuture<Void> cancelsAwaitingIds = submissions.failAllButCancelsAwaitingIds();
        // The acceptances come on the event thread: a close() called from a callback cannot wait for them.
        if (reconnection.linkUp() && !events.isCurrent()) {
            ConnectionCloser.awaitQuietly(cancelsAwaitingIds, deadline);
        }
        submissions.failAll();
        sends.finish(reconnection.linkUp() ? Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))
                : Duration.ZERO);
        cancels.failOutstanding();
        forecasts.failOutstanding();
        head.failOutstanding();
        reconnection.shutdown();
        if (!reconnection.linkUp()) {
            ConnectionCloser.giveUp(connection);
        }
        new ConnectionCloser(connection, subscriptions, ownEvents, requests, file.brokerUrl())
                .close(settings.replyTimeout());
        events.shutdown();
    }
}
