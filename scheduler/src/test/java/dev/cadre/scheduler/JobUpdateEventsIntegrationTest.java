package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.Message;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * job-updated and array-part-joined on cadre.events, from a real scheduler on a real broker to a subscriber with the
 * submitter's account, selected by the documented message properties (docs/protocol.md 3.2, 8.7, 8.8).
 */
class JobUpdateEventsIntegrationTest {
    @TempDir
    Path dir;
    SchedulerOnBroker head;
    SubmitterClient client;
    Session session;

    @BeforeEach
    void start() throws Exception {
        head = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), e -> { });
        head.scheduler().start();
        client = SubmitterClient.open(head);
        session = client.session();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        head.close();
    }

    private Message ask(Message request) throws Exception {
        return client.ask(request);
    }

    private static TextMessage next(MessageConsumer events) throws Exception {
        TextMessage m = (TextMessage) events.receive(10_000);
        assertNotNull(m, "no event within 10 s");
        return m;
    }

    @Test
    void aHeldListsPartIsAnnouncedHeldAndItsReleaseAnnouncesWhereItsTasksWent() throws Exception {
        MessageConsumer updates = session.createConsumer(session.createTopic(Destinations.EVENTS),
                "user = 'alice' AND type IN ('job-updated', 'array-part-joined')");
        MessageConsumer arrays = session.createConsumer(session.createTopic(Destinations.EVENTS),
                "arrayJobId IS NOT NULL AND type = 'job-state-changed'");
        var accepted = assertInstanceOf(ClientReply.JobAccepted.class, ask(new ClientRequest.SubmitJob("s-1",
                JobSpec.builder().name("sweep").user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp")
                        .array("0-9").build())));
        long array = accepted.jobId();
        var created = (JobEvent.JobStateChanged) MessageCodec.decode(next(arrays).getText());
        assertEquals(array, created.jobId());
        assertEquals(array, created.arrayJobId(), "the array's own record is of the array");
        assertNull(created.arrayTaskId(), "standing for pending tasks, it runs none yet");

        var held = assertInstanceOf(ClientReply.ControlResult.class, ask(new ControlRequest.HoldJob(array, null,
                ArrayIndexes.parse("3-5"), false, "h-1")));
        assertTrue(held.ok(), held.toString());
        TextMessage m = next(updates);
        var left = assertInstanceOf(JobEvent.JobUpdated.class, MessageCodec.decode(m.getText()));
        assertEquals(array, left.jobId(), "the array's record, left holding the rest, is announced first");
        assertNull(left.hold());
        m = next(updates);
        assertEquals("job-updated", m.getStringProperty("type"));
        assertEquals("PENDING", m.getStringProperty("state"));
        var update = assertInstanceOf(JobEvent.JobUpdated.class, MessageCodec.decode(m.getText()));
        long part = update.jobId();
        assertEquals(part, m.getLongProperty("jobId"), "selectable by jobId");
        assertTrue(part != array, "the listed tasks left the array's record as a part");
        assertEquals(JobSpec.HOLD_USER, update.hold());
        assertEquals("JobHeldUser", update.reason());
        assertEquals(JobState.PENDING, update.state());
        assertEquals("sweep", update.name());
        assertEquals(array, update.arrayJobId());
        assertEquals(array, m.getLongProperty("arrayJobId"), "selectable by its array");
        var partCreated = (JobEvent.JobStateChanged) MessageCodec.decode(next(arrays).getText());
        assertEquals(part, partCreated.jobId(), "the part's creation is selected by its array");

        MessageConsumer partsEvents = session.createConsumer(session.createTopic(Destinations.EVENTS),
                "jobId = " + part);
        var released = assertInstanceOf(ClientReply.ControlResult.class, ask(new ControlRequest.ReleaseJob(array,
                null, ArrayIndexes.parse("3-5"), false, "r-1")));
        assertTrue(released.ok(), released.toString());
        m = next(updates);
        assertEquals(array, assertInstanceOf(JobEvent.JobUpdated.class, MessageCodec.decode(m.getText())).jobId(),
                "the record that took the part's tasks is announced");
        m = next(updates);
        assertEquals("array-part-joined", m.getStringProperty("type"));
        assertEquals(new JobEvent.ArrayPartJoined(part, array, array, "alice",
                ((JobEvent.ArrayPartJoined) MessageCodec.decode(m.getText())).time()), MessageCodec.decode(m.getText()));
        assertEquals("array-part-joined", next(partsEvents).getStringProperty("type"),
                "a subscriber to the part alone hears of its end");
        assertNull(updates.receiveNoWait(), "a release of a part that joins announces no update of it");
    }

    @Test
    void aHoldOfAHeldJobPublishesNothingAndAnUpdateIsAnnouncedToItsSubscriber() throws Exception {
        MessageConsumer created = session.createConsumer(session.createTopic(Destinations.EVENTS),
                "user = 'alice' AND type = 'job-state-changed'");
        var accepted = assertInstanceOf(ClientReply.JobAccepted.class, ask(new ClientRequest.SubmitJob("s-2",
                JobSpec.builder().name("one").user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp")
                        .hold(JobSpec.HOLD_USER).build())));
        var first = assertInstanceOf(JobEvent.JobStateChanged.class, MessageCodec.decode(next(created).getText()));
        assertEquals("JobHeldUser", first.reason(), "a job submitted held says so from its first event, as squeue");
        // Its creation event may still be on its way: the updates alone are selected.
        MessageConsumer events = session.createConsumer(session.createTopic(Destinations.EVENTS),
                "jobId = " + accepted.jobId() + " AND type = 'job-updated'");
        assertTrue(((ClientReply.ControlResult) ask(new ControlRequest.HoldJob(accepted.jobId(), null, false, "h-2")))
                .ok());
        assertTrue(((ClientReply.ControlResult) ask(new ControlRequest.UpdateJob(accepted.jobId(), null, 900L, null,
                null, "renamed"))).ok());
        var update = assertInstanceOf(JobEvent.JobUpdated.class, MessageCodec.decode(next(events).getText()),
                "the update's event, with none before it for the hold that changed nothing");
        assertEquals("renamed", update.name());
        assertEquals(900L, update.timeLimitSeconds());
        assertEquals(JobSpec.HOLD_USER, update.hold());
    }
}
