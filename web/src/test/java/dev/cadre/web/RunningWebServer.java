package dev.cadre.web;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.BrokerLimits;
import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.broker.RequestClient;
import dev.cadre.broker.SubmissionDiskLimit;
import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.db.PartitionStore;
import dev.cadre.db.ReservationStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.scheduler.SchedulerDiagnostics;
import dev.cadre.scheduler.core.SchedulerStatistics;
import jakarta.jms.Connection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A {@link WebServer} on a free port with what it runs on, for real: an embedded broker and SQLite, both in a
 * temporary directory. Nothing answers on the broker unless a test does: no scheduler takes cadre.submit and no
 * node reads output, so a test plays either part itself over JMS where it needs one.
 */
final class RunningWebServer implements AutoCloseable {
    static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    final Path dir;
    final BrokerUsers users = BrokerUsers.generate();
    final Jdbi jdbi;
    final JobStore jobs;
    final NodeStore nodes;
    final WebServer web;
    /** The scheduler's recorder, which a test plays the scheduler's part on (GET /api/diagnostics, /metrics). */
    final SchedulerStatistics statistics = new SchedulerStatistics(Clock.systemUTC());
    private final EmbeddedBroker broker;
    private final List<Connection> connections = new ArrayList<>();
    private final RequestClient requests;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    RunningWebServer(WebServer.Limits limits) throws Exception {
        this(limits, Database::open);
    }

    /** @param database opens the SQLite file: a test may watch the statements run on it */
    RunningWebServer(WebServer.Limits limits, Function<Path, Jdbi> database) throws Exception {
        this(limits, database, BrokerLimits.DEFAULT_CLIENT_DISK_PERCENT);
    }

    /** @param diskPercent submissions are refused while the temporary directory's disk is fuller than this */
    RunningWebServer(WebServer.Limits limits, Function<Path, Jdbi> database, int diskPercent)
            throws Exception {
        dir = Files.createTempDirectory("cadre-web-test");
        broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users)).start();
        jdbi = database.apply(dir.resolve("cadre.db"));
        jobs = new JobStore(jdbi);
        nodes = new NodeStore(jdbi);
        requests = new RequestClient(connect("web-requests"));
        web = new WebServer(new WebServer.Settings("127.0.0.1", 0, users.restToken(), limits,
                new SubmissionDiskLimit(dir, diskPercent)), jobs, nodes,
                new ServiceStore(jdbi), new ReservationStore(jdbi), new PartitionStore(jdbi), requests,
                connect("web-output"), new SchedulerDiagnostics(statistics)).start();
    }

    /** An admin's connection to the broker, closed with the server. */
    Connection connect(String name) throws Exception {
        Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), name);
        connections.add(c);
        return c;
    }

    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + web.port() + pathAndQuery;
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String pathAndQuery, String body) throws IOException, InterruptedException {
        return http.send(request(pathAndQuery).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET without the Authorization header: the token, if any, is in the query. */
    HttpResponse<String> getWithoutHeader(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(url(pathAndQuery))).header("Authorization", "Bearer "
                + users.restToken());
    }

    static JobSpec spec(String name, String user) {
        return JobSpec.builder().name(name).user(user).script("#!/bin/sh\ntrue\n").workDir("/tmp").build();
    }

    /** Opens the SQLite file as the server does, counting in {@code statements} every statement run on it. */
    static Function<Path, Jdbi> counting(AtomicInteger statements) {
        return file -> {
            Jdbi jdbi = Database.open(file);
            jdbi.getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
                @Override
                public void logAfterExecution(StatementContext context) {
                    statements.incrementAndGet();
                }
            });
            return jdbi;
        };
    }

    /** Stores a new PENDING job, as the scheduler does with a submission. */
    JobRecord admit(JobSpec spec) {
        return jobs.admit(List.of(new JobStore.NewJob(UUID.randomUUID().toString(), spec, T, "None"))).get(0)
                .job();
    }

    /**
     * Stores a new job started on the nodes (their host names {@code host-ID}), its script on the first, as the
     * scheduler does with a placement.
     */
    JobRecord running(String... nodeIds) {
        JobRecord job = admit(spec("runs", "alice"));
        List<Allocation.NodeSlots> slots = Arrays.stream(nodeIds).map(n -> new Allocation.NodeSlots(n, "host-" + n, 1,
                1, 0, 0)).toList();
        JobRecord run = job.started(1, new Allocation(slots), T);
        jobs.save(List.of(new JobChange(run, JobState.PENDING, T, new AttemptRecord(job.id(), 1, String.join(",",
                slots.stream().map(Allocation.NodeSlots::hostname).toList()), T, null, null, null, null, null))));
        return run;
    }

    @Override
    public void close() throws Exception {
        web.close();
        requests.close();
        for (Connection c : connections) {
            c.close();
        }
        jobs.close();
        broker.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
