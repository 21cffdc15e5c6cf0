package dev.cadre.web;

import dev.cadre.broker.RequestClient;
import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.protocol.JobEventListener;
import jakarta.jms.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;

/** Jetty serving the REST API under /api, its event streams, and the status page at /. */
public final class WebServer implements AutoCloseable {
    /** Events kept for clients that reconnect (GET /api/events with Last-Event-ID). */
    public static final int EVENTS_KEPT = 10_000;

    public record Settings(String bind, int port, String token) {
    }

    private final Server server = new Server();
    private final ServerConnector connector;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
            "cadre-web-timers"));
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> daemon(r, "cadre-web-output"));
    private final EventFeed feed;
    private final OutputRequests outputs;
    private final ApiHandler api;

    /**
     * @param requests submissions and job control, to the scheduler
     * @param broker a connection of the head's own for reads of job output; the caller closes it after this server
     */
    public WebServer(Settings settings, JobStore jobs, NodeStore nodes, ServiceStore services,
            RequestClient requests, Connection broker) throws Exception {
        connector = new ServerConnector(server);
        connector.setHost(settings.bind());
        connector.setPort(settings.port());
        server.addConnector(connector);
        feed = new EventFeed(new EventLog(Long.toString(System.currentTimeMillis(), 36), EVENTS_KEPT));
        outputs = new OutputRequests(broker);
        JobLookup lookup = new JobLookup(jobs);
        SchedulerRequests scheduler = new SchedulerRequests(requests);
        List<Route> routes = new ArrayList<>();
        routes.addAll(new OpenApiDocument().routes());
        routes.addAll(new JobsApi(jobs, nodes, lookup, scheduler).routes());
        routes.addAll(new OutputApi(lookup, jobs, nodes, outputs, feed, timers, workers).routes());
        routes.addAll(new NodesApi(jobs, nodes, Clock.systemUTC()).routes());
        routes.addAll(new ServiceApi(scheduler, jobs, services).routes());
        routes.addAll(new EventStreamApi(feed, timers).routes());
        api = new ApiHandler(settings.token(), routes);
        server.setHandler(new ContextHandler(new Handler.Sequence(api, new StatusPage()), "/"));
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
        outputs.close();
        timers.shutdownNow();
        workers.shutdownNow();
    }
}
