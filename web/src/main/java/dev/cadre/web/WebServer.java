package dev.cadre.web;

import dev.cadre.broker.ConnectionBounds;
import dev.cadre.broker.RequestClient;
import dev.cadre.broker.SubmissionDiskLimit;
import dev.cadre.broker.TlsKeyStore;
import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.db.PartitionStore;
import dev.cadre.db.ReservationStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.protocol.DiagnosticsSource;
import dev.cadre.protocol.JobEventListener;
import jakarta.jms.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Jetty serving the REST API under /api, its event streams, and the status page at /. */
public final class WebServer implements AutoCloseable {
    /** Events kept for clients that reconnect (GET /api/events with Last-Event-ID). */
    public static final int EVENTS_KEPT = 10_000;
    private static final long IDLE_THREAD_MILLIS = 60_000;

    /**
     * @param limits what the server takes at once; {@link Limits#DEFAULT} unless given
     * @param submissionDisk refuses submissions on a nearly full disk, as the broker refuses the submitter's
     * @param tls the head's key, to serve HTTPS alone with (--client-tls); null for plain HTTP
     */
    public record Settings(String bind, int port, String token, Limits limits, SubmissionDiskLimit submissionDisk,
            TlsKeyStore tls) {
        public Settings {
            if (limits == null) {
                throw new IllegalArgumentException("the web server's limits are missing; Limits.DEFAULT is the usual");
            }
            if (submissionDisk == null) {
                throw new IllegalArgumentException("the web server's disk limit for submissions is missing");
            }
        }

        public Settings(String bind, int port, String token, SubmissionDiskLimit submissionDisk) {
            this(bind, port, token, Limits.DEFAULT, submissionDisk, null);
        }

        public Settings(String bind, int port, String token, Limits limits, SubmissionDiskLimit submissionDisk) {
            this(bind, port, token, limits, submissionDisk, null);
        }
    }

    /**
     * What the server takes at once, so that many clients, or slow ones, make it refuse or wait rather than run
     * out of threads, memory or file descriptors (web/README.md, "Limits").
     *
     * @param connections open connections; more wait in the operating system's backlog until one closes
     * @param threads Jetty's threads, which run every request
     * @param queuedRequests requests waiting for one of those threads; more are dropped with their connection
     * @param eventStreams open event streams (/api/events and followed output); more are refused with 503
     * @param brokerWaits requests holding a thread while they wait for the scheduler or a node; more are
     *        refused with 503 and Retry-After before they send anything
     * @param outputWorkers threads that carry followed output from the broker to the streams
     */
    public record Limits(int connections, int threads, int queuedRequests, int eventStreams, int brokerWaits,
            int outputWorkers) {
        public static final Limits DEFAULT = new Limits(2_000, 200, 1_000, 1_000, 64, 8);

        public Limits {
            atLeast("connections", connections, 1);
            // Jetty takes some of its threads for accepting and selecting before any request runs.
            atLeast("threads", threads, 16);
            atLeast("queuedRequests", queuedRequests, 1);
            atLeast("eventStreams", eventStreams, 1);
            atLeast("brokerWaits", brokerWaits, 1);
            atLeast("outputWorkers", outputWorkers, 1);
            if (brokerWaits > threads / 2) {
                throw new IllegalArgumentException("brokerWaits (" + brokerWaits + ") must leave at least half of"
                        + " the " + threads + " threads to other requests");
            }
            if (eventStreams >= connections) {
                throw new IllegalArgumentException("eventStreams (" + eventStreams + ") must leave connections ("
                        + connections + ") for other requests");
            }
        }

        private static void atLeast(String name, int value, int least) {
            if (value < least) {
                throw new IllegalArgumentException("the web limit " + name + " must be at least " + least + ", not "
                        + value);
            }
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
            "cadre-web-timers"));
    private final ExecutorService workers;
    private final EventFeed feed;
    private final NodeReads reads;
    private final ApiHandler api;

    /**
     * @param requests submissions and job control, to the scheduler
     * @param broker a connection of the head's own for reads of job output and usage on the nodes; the caller closes
     *        it after this server
     * @param diagnostics the scheduler's statistics, in the same process (sdiag, /metrics)
     */
    public WebServer(Settings settings, JobStore jobs, NodeStore nodes, ServiceStore services,
            ReservationStore reservations, PartitionStore partitions, RequestClient requests, Connection broker,
            DiagnosticsSource diagnostics) throws Exception {
        Limits limits = settings.limits();
        QueuedThreadPool threads = new QueuedThreadPool(limits.threads(), Math.min(8, limits.threads()),
                (int) IDLE_THREAD_MILLIS, new BlockingArrayQueue<>(limits.queuedRequests(), 0,
                        limits.queuedRequests()));
        threads.setName("cadre-web");
        server = new Server(threads);
        // Within the web server's share of the files this process may open (ConnectionBounds, which a low ulimit -n
        // lowers), so that a flood of its port leaves the broker, SQLite and the journal theirs.
        server.addBean(new NetworkConnectionLimit(Math.min(limits.connections(),
                ConnectionBounds.derive(ConnectionBounds.processFileLimit()).web()), server));
        // Each follower does at most one short step at a time (the reads are asynchronous), and there are at most
        // eventStreams followers, so the queue in front of these threads is bounded by that.
        ThreadPoolExecutor outputThreads = new ThreadPoolExecutor(limits.outputWorkers(), limits.outputWorkers(),
                IDLE_THREAD_MILLIS, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> daemon(r,
                        "cadre-web-output"));
        outputThreads.allowCoreThreadTimeOut(true);
        workers = outputThreads;
        HttpConfiguration http = new HttpConfiguration();
        // Neither the Server header nor an error page tells a client which Jetty, and so which of its bugs, runs here.
        http.setSendServerVersion(false);
        if (settings.tls() != null) {
            // Jetty would add one that refuses a request whose host the certificate does not name, and the head's
            // names none but cadre-head: its clients pin the certificate instead.
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
        }
        connector = settings.tls() == null ? new ServerConnector(server, new HttpConnectionFactory(http))
                : new ServerConnector(server, new SslConnectionFactory(sslContext(settings.tls()), "http/1.1"),
                        new HttpConnectionFactory(http));
        connector.setHost(settings.bind());
        connector.setPort(settings.port());
        server.addConnector(connector);
        feed = new EventFeed(new EventLog(Long.toString(System.currentTimeMillis(), 36), EVENTS_KEPT));
        reads = new NodeReads(broker);
        JobLookup lookup = new JobLookup(jobs);
        BrokerWaits waits = new BrokerWaits(limits.brokerWaits());
        EventStreams streams = new EventStreams(limits.eventStreams(), timers);
        SchedulerRequests scheduler = new SchedulerRequests(requests, waits, settings.submissionDisk());
        List<Route> routes = new ArrayList<>();
        routes.addAll(new OpenApiDocument().routes());
        routes.addAll(new JobsApi(jobs, nodes, lookup, scheduler).routes());
        routes.addAll(new OutputApi(lookup, jobs, nodes, reads, feed, streams, waits, timers, workers).routes());
        routes.addAll(new UsageApi(lookup, nodes, reads, waits).routes());
        routes.addAll(new NodesApi(jobs, nodes, Clock.systemUTC(), scheduler).routes());
        routes.addAll(new UsageReportApi(jobs, Clock.systemUTC()).routes());
        routes.addAll(new SharesApi(jobs).routes());
        routes.addAll(new NodeEventsApi(nodes).routes());
        routes.addAll(new ServiceApi(scheduler, jobs, services).routes());
        routes.addAll(new ReservationApi(scheduler, reservations).routes());
        routes.addAll(new PartitionApi(scheduler, partitions).routes());
        routes.addAll(new EventStreamApi(feed, streams).routes());
        routes.addAll(new DiagnosticsApi(diagnostics, jobs, nodes).routes());
        api = new ApiHandler(settings.token(), routes);
        server.setHandler(new ContextHandler(new Handler.Sequence(api, new StatusPage()), "/"));
        server.setErrorHandler(new ProblemErrorPage());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** What the scheduler hands its published events to, for the event streams (see JobEventListener). */
    public JobEventListener eventListener() {
        return feed;
    }

    public WebServer start() throws Exception {
        server.start();
        return this;
    }

    /** Jetty's own TLS with the head's key. */
    private static SslContextFactory.Server sslContext(TlsKeyStore key) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStoreType("PKCS12");
        tls.setKeyStorePath(key.file().toString());
        tls.setKeyStorePassword(key.password());
        return tls;
    }

    /** The bound port; differs from the configured one when that was 0. */
    public int port() {
        return connector.getLocalPort();
    }

    /** Every operation of the REST API as "METHOD /template", for checking the OpenAPI document against. */
    public List<String> operations() {
        return api.routes().stream().map(r -> r.method() + " " + r.template()).toList();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        reads.close();
        timers.shutdownNow();
        workers.shutdownNow();
    }
}
