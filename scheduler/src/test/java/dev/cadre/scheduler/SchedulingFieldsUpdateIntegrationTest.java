package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.Message;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * update-job's arrayTaskThrottle, beginTime and dependency through a real scheduler on a real broker and SQLite file:
 * carried out, announced by job-updated with the new values, stored so that a restarted head has them, refused whole
 * when a part is wrong, and carried out once under a requestId (docs/protocol.md 5.5, 8.7).
 */
class SchedulingFieldsUpdateIntegrationTest {
    @TempDir
    Path dir;
    SchedulerOnBroker head;
    Connection client;
    Session session;
    TemporaryQueue replies;
    MessageConsumer answers;

    private void open() throws Exception {
        head = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), e -> { });
        head.scheduler().start();
        client = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().submitter(), "subscriber");
        session = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
        replies = session.createTemporaryQueue();
        answers = session.createConsumer(replies);
    }

    private void close() throws Exception {
        if (head != null) {
            client.close();
            head.close();
            head = null;
        }
    }

    @AfterEach
    void stop() throws Exception {
        close();
    }

    private void restart() throws Exception {
        close();
        open();
    }

    private void node(int cores) {
        head.scheduler().apply(() -> head.scheduler().core().onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1",
                "host1", List.of("10.0.0.1"), cores, 4096, 0, List.of(), Instant.now())));
    }

    private Message ask(Message request) throws Exception {
        SubmissionIntakeIntegrationTest.send(session, replies, MessageCodec.encode(request), "c");
        TextMessage reply = (TextMessage) answers.receive(10_000);
        assertNotNull(reply, "no answer to " + request);
        return MessageCodec.decode(reply.getText());
    }

    private long submit(String key, JobSpec.Builder spec) throws Exception {
        return assertInstanceOf(ClientReply.JobAccepted.class, ask(new ClientRequest.SubmitJob(key,
                spec.user("alice").script("#!/bin/sh\nsleep 300\n").workDir("/tmp").build()))).jobId();
    }

    private ClientReply.ControlResult update(long job, Integer throttle, Instant begin, String dependency,
            String requestId) throws Exception {
        return assertInstanceOf(ClientReply.ControlResult.class, ask(new ControlRequest.UpdateJob(job, null, null,
                null, null, null, null, requestId, throttle, begin, dependency)));
    }

    private MessageConsumer events(String selector) throws Exception {
        return session.createConsumer(session.createTopic(Destinations.EVENTS), selector);
    }

    private static <T> T next(MessageConsumer events, Class<T> type) throws Exception {
        TextMessage m = (TextMessage) events.receive(10_000);
        assertNotNull(m, "no event within 10 s");
        return assertInstanceOf(type, MessageCodec.decode(m.getText()));
    }

    @Test
    void aRaisedThrottleStartsMoreIsAnnouncedStoredAndCarriedOutOnce() throws Exception {
        open();
        node(8);
        MessageConsumer started = events("user = 'alice' AND type = 'job-state-changed' AND state = 'RUNNING'");
        long array = submit("a-1", JobSpec.builder().name("sweep").array("1-6%2"));
        next(started, JobEvent.JobStateChanged.class);
        next(started, JobEvent.JobStateChanged.class);
        assertNull(started.receive(1_000), "the throttle lets two run");
        MessageConsumer updates = events("jobId = " + array + " AND type = 'job-updated'");

        ClientReply.ControlResult raised = update(array, 4, null, null, "t-1");

        assertTrue(raised.ok(), raised.toString());
        assertEquals(4, next(updates, JobEvent.JobUpdated.class).arrayTaskThrottle());
        next(started, JobEvent.JobStateChanged.class);
        next(started, JobEvent.JobStateChanged.class);
        assertNull(started.receive(1_000), "four run now, no more");
        assertEquals(raised, update(array, 4, null, null, "t-1"), "a copy is answered as the first was");
        assertNull(updates.receive(500), "and not carried out again");

        ClientReply.ControlResult refused = update(array, 1, null, "afterok:999999", null);
        assertFalse(refused.ok());
        assertTrue(refused.reason().contains("999999"), refused.reason());
        for (JobRecord j : head.jobs().unfinished()) {
            assertEquals("1-6%4", j.spec().array(), "stored for " + j.displayId());
        }

        restart();
        JobRecord record = head.scheduler().core().job(array).orElseThrow();
        assertEquals(array + "_[5-6%4]", record.displayId());
        assertEquals(4, head.scheduler().core().job(array).orElseThrow().spec().arraySpec().throttle());
        assertEquals(4, head.jobs().unfinished().stream().filter(j -> j.state() == JobState.RUNNING)
                .filter(j -> j.spec().arraySpec().throttle() == 4).count());
    }

    @Test
    void aStartTimeAndADependencyAreStoredJudgedAfterARestartAndCleared() throws Exception {
        open();
        node(8);
        long first = submit("b-1", JobSpec.builder().name("first").hold(JobSpec.HOLD_USER));
        long second = submit("b-2", JobSpec.builder().name("second").hold(JobSpec.HOLD_USER));
        Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        MessageConsumer updates = events("jobId = " + second + " AND type = 'job-updated'");

        assertTrue(update(second, null, later, "afterok:" + first, null).ok());

        var event = next(updates, JobEvent.JobUpdated.class);
        assertEquals(later, event.beginTime());
        assertEquals("afterok:" + first, event.dependency());
        assertNull(event.arrayTaskThrottle(), "no array");
        restart();
        JobSpec stored = head.jobs().find(second).orElseThrow().spec();
        assertEquals(later, stored.beginTime());
        assertEquals("afterok:" + first, stored.dependency());

        node(8);
        MessageConsumer changes = events("jobId = " + second + " AND type = 'job-state-changed'");
        assertTrue(assertInstanceOf(ClientReply.ControlResult.class, ask(new ControlRequest.ReleaseJob(second, null,
                false))).ok());
        // A reason that changes while the job stays pending is stored, not published: a pass is run here to read it.
        String[] reason = new String[1];
        head.scheduler().apply(() -> {
            var d = head.scheduler().core().schedule();
            reason[0] = head.scheduler().core().job(second).orElseThrow().reason();
            return d;
        });
        assertEquals("BeginTime", reason[0], "the restarted head judges the stored begin time");

        assertTrue(update(second, null, Instant.now(), "", null).ok());
        JobState state = null;
        for (int i = 0; i < 5 && state != JobState.RUNNING; i++) {
            state = next(changes, JobEvent.JobStateChanged.class).state();
        }
        assertEquals(JobState.RUNNING, state, "with neither, it starts while the job it named is still held");
        assertNull(head.jobs().find(second).orElseThrow().spec().dependency());
    }
}
