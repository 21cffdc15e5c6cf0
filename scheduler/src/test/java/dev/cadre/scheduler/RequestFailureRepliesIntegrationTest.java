package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.broker.RequestClient;
import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Connection;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request the scheduler fails on, sent over the real broker as clients send it, to the real scheduler and SQLite:
 * the failures are real ones (a stored job or kept answer the database can no longer read), but for the planner's,
 * which only its test hook can provoke. The refusal names the request and an incident id, never the exception's
 * text; the head's log has the id with the exception beside its stack trace.
 */
class RequestFailureRepliesIntegrationTest {
    private static final Pattern REFUSAL = Pattern.compile("^([a-z-]+) failed inside the scheduler \\(incident"
            + " ([0-9a-f]{12}): the head's log has what went wrong under this id\\); nothing was (changed|granted)$");
    @TempDir
    Path dir;

    /** A refusal of this request type, the incident id it names, and the log the failure went to. */
    private record Failure(String type, String incident, String outcome) {
        static Failure of(String reason) {
            Matcher m = REFUSAL.matcher(reason == null ? "" : reason);
            assertTrue(m.matches(), "a refusal naming the request and an incident, nothing else: " + reason);
            return new Failure(m.group(1), m.group(2), m.group(3));
        }

        /** The log names the request under the id, and the exception with its stack trace follows. */
        void logged(String log, String exceptionText) {
            int line = log.indexOf("incident " + incident + ": " + type + " failed inside the scheduler");
            assertTrue(line >= 0, "the incident " + incident + " is logged:\n" + log);
            String after = log.substring(line);
            int next = after.indexOf("] ERROR ");
            String trace = next < 0 ? after : after.substring(0, next);
            assertTrue(trace.contains(exceptionText) && trace.contains("\tat dev.cadre."),
                    "the exception (" + exceptionText + ") and its stack trace follow the incident's line:\n" + log);
        }
    }

    @Test
    void aFailedRequestIsRefusedWithAnIncidentIdThatTheLogHasBesideTheException() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(200), e -> { });
                Connection submitter = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().submitter(),
                        "scancel");
                RequestClient client = new RequestClient(submitter)) {
            // Ended before this head started, so that only the database knows it.
            JobRecord admitted = head.jobs().admit(List.of(new JobStore.NewJob("ended", spec("ended", null),
                    Instant.now(), "None"))).get(0).job();
            head.jobs().save(List.of(new JobChange(admitted.ended(JobState.CANCELLED, "None", null, null,
                    Instant.now()), JobState.PENDING, Instant.now(), null)));
            long ended = admitted.id();
            head.scheduler().start();
            Jdbi db = Database.open(dir.resolve("cadre.db"));
            long cancelled = admitHeld(head, "cancelled");
            admitHeld(head, "held");
            ControlRequest.CancelJob repeated = new ControlRequest.CancelJob(cancelled, null, null, null, "r-1");
            assertTrue(((ClientReply.CancelResult) ask(client, repeated)).ok());
            // What the database can no longer read: an ended job's state, and the answer kept for r-1.
            db.useHandle(h -> h.execute("UPDATE jobs SET state = 'UNREADABLE' WHERE id = ?", ended));
            db.useHandle(h -> h.execute("UPDATE answered_requests SET answer = '{garbled' WHERE request_key ="
                    + " 'c:r-1'"));
            head.scheduler().forecasts().planner().beforePlan(() -> {
                throw new IllegalStateException("planner broke reading /var/lib/cadre/plan.tmp");
            });

            List<Map<String, Object>> before = jobRows(db);
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            ClientReply again = ask(client, repeated);
            ClientReply grant = ask(client, new ClientRequest.ExecGrant(ended, "alice"));
            ClientReply trial = ask(client, new ClientRequest.ForecastStarts(spec("trial", null).toBuilder()
                    .dependency("afterok:" + ended).environment(Map.of("API_TOKEN", "hunter2")).build()));
            ClientReply planned = ask(client, new ClientRequest.ForecastStarts());
            System.setErr(err);
            String logged = log.toString(StandardCharsets.UTF_8);

            var cancel = assertInstanceOf(ClientReply.CancelResult.class, again);
            assertFalse(cancel.ok());
            Failure f = Failure.of(cancel.reason());
            assertEquals(List.of("cancel-job", "changed"), List.of(f.type(), f.outcome()));
            f.logged(logged, "the stored answer to request c:r-1 is unreadable");

            var refusedGrant = assertInstanceOf(ClientReply.ExecGrantResult.class, grant);
            assertFalse(refusedGrant.ok());
            f = Failure.of(refusedGrant.reason());
            assertEquals(List.of("exec-grant", "granted"), List.of(f.type(), f.outcome()));
            f.logged(logged, "UNREADABLE");

            f = Failure.of(assertInstanceOf(ClientReply.StartForecast.class, trial).reason());
            assertEquals("forecast-starts", f.type(), "judged under the lock");
            f.logged(logged, "UNREADABLE");
            assertTrue(logged.contains("forecast-starts of a trial job user=alice script of 15 characters 0 arguments"
                    + " 1 environment variables"), "the log names the trial job by its user and sizes:\n" + logged);
            assertFalse(logged.contains("hunter2") || logged.contains("#!/bin/sh"),
                    "the log has none of what the user sent:\n" + logged);

            f = Failure.of(assertInstanceOf(ClientReply.StartForecast.class, planned).reason());
            assertEquals("forecast-starts", f.type(), "planned off the lock");
            f.logged(logged, "planner broke reading /var/lib/cadre/plan.tmp");

            for (ClientReply reply : List.of(again, grant, trial, planned)) {
                String wire = MessageCodec.encode(reply);
                for (String internal : List.of("UNREADABLE", "unreadable", "Exception", "/var/lib", "c:r-1", "SQL")) {
                    assertFalse(wire.contains(internal), "the reply tells the client '" + internal + "': " + wire);
                }
            }
            assertEquals(before, jobRows(db), "nothing changed");
        } finally {
            System.setErr(err);
        }
    }

    private static List<Map<String, Object>> jobRows(Jdbi db) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM jobs ORDER BY id").mapToMap().list());
    }

    private static ClientReply ask(RequestClient client, ClientRequest request) throws Exception {
        return client.send(request).get(20, TimeUnit.SECONDS);
    }

    private static JobSpec spec(String name, String hold) {
        return JobSpec.builder().name(name).user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp").hold(hold)
                .build();
    }

    private static long admitHeld(SchedulerOnBroker head, String name) {
        return head.scheduler().admit(List.of(new JobStore.NewJob(name, spec(name, "user"), Instant.now(), "None")))
                .get(0).job().id();
    }
}
