package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest.TopJobs.Target;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobPriority;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.Message;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scontrol top on a real scheduler, broker and SQLite: the nice changes are stored in one decision, announced as an
 * update's are, kept across a repeat of the request, and refused whole as slurmctld refuses them.
 */
class QueueTopIntegrationTest {
    @TempDir
    Path dir;
    SchedulerOnBroker head;
    SubmitterClient client;

    @BeforeEach
    void start() throws Exception {
        head = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), e -> { });
        head.scheduler().start();
        client = SubmitterClient.open(head);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        head.close();
    }

    private Message ask(Message request) throws Exception {
        return client.ask(request);
    }

    private long submit(String name, String user) throws Exception {
        return assertInstanceOf(ClientReply.JobAccepted.class, ask(new ClientRequest.SubmitJob("s-" + name,
                JobSpec.builder().name(name).user(user).script("#!/bin/sh\ntrue\n").workDir("/tmp").build())))
                .jobId();
    }

    private JobRecord stored(long id) {
        return head.jobs().find(id).orElseThrow();
    }

    @Test
    void theNamedJobsLeadTheirUsersQueueInOrderStoredAndAnnouncedOnce() throws Exception {
        long a = submit("a", "alice");
        long b = submit("b", "alice");
        long c = submit("c", "alice");
        long bob = submit("bob", "bob");
        MessageConsumer updates = client.events("type = 'job-updated'");

        var denied = assertInstanceOf(ClientReply.TopResult.class, ask(new ControlRequest.TopJobs(
                List.of(new Target(c, null)), "alice", false, "t-0")));
        assertEquals(ClientReply.TopResult.ACCESS_DENIED, denied.refusal(), "the head runs without"
                + " --enable-user-top: " + denied);
        var unknown = assertInstanceOf(ClientReply.TopResult.class, ask(new ControlRequest.TopJobs(
                List.of(new Target(999, null)), "root", true)));
        assertEquals(ClientReply.TopResult.NOT_PENDING, unknown.refusal(), unknown.toString());
        assertNull(stored(c).spec().nice(), "a refusal changes nothing");

        ControlRequest.TopJobs top = new ControlRequest.TopJobs(List.of(new Target(c, null), new Target(b, null)),
                "root", true, "t-1");
        var done = assertInstanceOf(ClientReply.TopResult.class, ask(top));
        assertTrue(done.ok(), done.toString());
        // Submitted within a minute or so, they tie or nearly: two of them change (c keeps a tie's highest
        // priority, b takes one less and a two less; or c rises by the minute a waited longer, and a makes way).
        assertEquals(2, done.changed(), done.toString());
        Map<Long, Integer> announced = new HashMap<>();
        for (int i = 0; i < done.changed(); i++) {
            TextMessage m = (TextMessage) updates.receive(10_000);
            assertNotNull(m, "only " + announced + " announced within 10 s");
            var u = assertInstanceOf(JobEvent.JobUpdated.class, MessageCodec.decode(m.getText()));
            announced.put(u.jobId(), u.nice());
        }
        Instant now = Instant.now();
        long pa = JobPriority.of(stored(a), now);
        long pb = JobPriority.of(stored(b), now);
        long pc = JobPriority.of(stored(c), now);
        assertTrue(pc > pb && pb > pa, "c, b, a: " + pc + " " + pb + " " + pa);
        announced.forEach((id, nice) -> assertEquals(stored(id).spec().nice(), nice, "job " + id + " is announced"
                + " with what was stored"));
        assertTrue(stored(a).spec().nice() > 0, "a makes way");
        assertNull(stored(bob).spec().nice(), "bob's job is not alice's queue");

        var again = assertInstanceOf(ClientReply.TopResult.class, ask(top));
        assertEquals(done, again, "a repeat under its requestId is answered as the first was");
        announced.forEach((id, nice) -> assertEquals(nice, stored(id).spec().nice(), "and not carried out again"));
        assertNull(updates.receive(300), "nor announced again");
    }
}
