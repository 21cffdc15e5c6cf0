package dev.cadre.cli;

import dev.cadre.node.core.ProcessTracking;
import dev.cadre.client.CadreClient;
import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A whole head with a local node in this JVM, on free ports, for the client library's tests. Registered as an
 * extension ({@code @RegisterExtension static}) it runs for the test class, in its own temporary directory, with
 * a connected {@link #client()}.
 */
final class InJvmHead implements BeforeAllCallback, AfterAllCallback {
    static final Duration WAIT = Duration.ofSeconds(30);
    Path base;
    private int brokerPort;
    private Head head;
    private JobStore jobs;
    private CadreClient client;

    InJvmHead() {
    }

    InJvmHead(Path base) throws IOException {
        this.base = base;
        this.brokerPort = CadreProcess.freePort();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        base = Files.createTempDirectory("cadre-" + context.getRequiredTestClass().getSimpleName());
        // A port found free can still be bound by another process before the broker binds it; the first start
        // then tries new ports, a bounded number of times.
        for (int attempt = 1; ; attempt++) {
            brokerPort = CadreProcess.freePort();
            try {
                start();
                break;
            } catch (IllegalStateException e) {
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("could not start its listeners")) {
                    throw e;
                }
            }
        }
        client = CadreClient.connect(clientFile());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (client != null) {
            client.close();
        }
        if (head != null) {
            stop();
        }
        CadreProcess.deleteTree(base);
    }

    CadreClient client() {
        return client;
    }

    /** Starts, or starts again on the same data directory and broker port. */
    InJvmHead start() throws Exception {
        head = new Head(new Head.Options(base.resolve("data"), "127.0.0.1", 0, brokerPort, CadreProcess.freePort(),
                CadreProcess.freePort(), true, dev.cadre.scheduler.core.SchedulerSettings.defaults(Duration.ofSeconds(10)), Duration.ofMillis(500), Duration.ofSeconds(2),
                4, "cadre", Head.Options.NO_MDNS, null, ProcessTracking.Mode.AUTO)).start();
        return this;
    }

    void stop() {
        head.close();
    }

    Path clientFile() {
        return base.resolve("data/client.json");
    }

    /** Every operation the REST API serves, as "METHOD /template". */
    java.util.List<String> operations() {
        return head.web().operations();
    }

    JobSpec.Builder job(String command) {
        return JobSpec.builder().name("t").script("#!/bin/sh\n" + command + "\n").workDir(base.toString());
    }

    /**
     * Submits the command as this user's job, an array of those tasks unless null; beginning in an hour when later,
     * so that it stays pending whatever is done to it.
     *
     * @return the job's id
     */
    long submit(String command, String array, boolean later) throws Exception {
        JobSpec.Builder spec = job(command).user(System.getProperty("user.name"));
        spec = array == null ? spec : spec.array(array);
        spec = later ? spec.beginTime(Instant.now().plus(1, ChronoUnit.HOURS)) : spec;
        return client.submit(spec.build()).accepted().get(30, TimeUnit.SECONDS);
    }

    JobState state(long id) {
        if (jobs == null) {
            jobs = new JobStore(Database.open(base.resolve("data/cadre.db")));
        }
        return jobs.find(id).orElseThrow().state();
    }

    /** Who cancelled the job, as the store keeps it; null when nobody is known or it is not CANCELLED. */
    String cancelledBy(long id) {
        state(id);
        return jobs.history().cancellers(java.util.List.of(id)).get(id);
    }

    void awaitState(long id, JobState state) throws InterruptedException {
        CadreProcess.await("job " + id + " to be " + state, WAIT, () -> state(id) == state);
    }
}
