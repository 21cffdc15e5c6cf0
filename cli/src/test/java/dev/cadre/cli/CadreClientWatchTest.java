package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.client.CadreClient;
import dev.cadre.client.CadreException;
import dev.cadre.client.EventFilter;
import dev.cadre.client.Watch;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Watches and durable subscriptions on a real head in this JVM. */
class CadreClientWatchTest {
    @RegisterExtension
    static final InJvmHead head = new InJvmHead();
    private final CadreClient client = head.client();

    /** The states of one job's events, up to its end, from a queue fed by a watch. */
    private static List<JobState> statesUntilEnd(BlockingQueue<JobEvent.JobStateChanged> queue, long id)
            throws InterruptedException {
        List<JobState> states = new ArrayList<>();
        long deadline = System.nanoTime() + InJvmHead.WAIT.toNanos();
        while (states.isEmpty() || !states.get(states.size() - 1).isTerminal()) {
            JobEvent.JobStateChanged e = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("job " + id + " did not end in time; saw " + states);
            }
            if (e.jobId() == id) {
                states.add(e.state());
            }
        }
        return states;
    }

    @Test
    void aWatchSeesEveryStateChangeOfTheUsersJobsInOrder() throws Exception {
        BlockingQueue<JobEvent.JobStateChanged> seen = new LinkedBlockingQueue<>();
        try (Watch w = client.watch(EventFilter.user(client.user()), seen::add)) {
            long id = client.submit(head.job("exit 4").build()).accepted().get(30, TimeUnit.SECONDS);
            assertEquals(List.of(JobState.PENDING, JobState.RUNNING, JobState.FAILED), statesUntilEnd(seen, id));
        }
        BlockingQueue<JobEvent.JobStateChanged> endings = new LinkedBlockingQueue<>();
        try (Watch w = client.watch(EventFilter.user(client.user()).endings(), endings::add)) {
            long id = client.submit(head.job("exit 5").build()).accepted().get(30, TimeUnit.SECONDS);
            assertEquals(List.of(JobState.FAILED), statesUntilEnd(endings, id));
        }
        BlockingQueue<JobEvent.JobStateChanged> others = new LinkedBlockingQueue<>();
        try (Watch w = client.watch(EventFilter.user("nobody-here"), others::add)) {
            client.submit(head.job("true").build()).result().get(30, TimeUnit.SECONDS);
            assertTrue(others.isEmpty(), "the selector let through another user's events: " + others);
        }
    }

    @Test
    void aDurableSubscriptionKeepsTheEventsPublishedWhileItsWatcherWasAway() throws Exception {
        BlockingQueue<JobEvent.JobStateChanged> seen = new LinkedBlockingQueue<>();
        EventFilter mine = EventFilter.user(client.user());
        client.watchDurable("durable-test", "mine", mine, seen::add).close();

        long id = client.submit(head.job("echo away").build()).accepted().get(30, TimeUnit.SECONDS);
        client.submit(head.job("true").build(), "unused").result().get(30, TimeUnit.SECONDS);
        head.awaitState(id, JobState.COMPLETED);

        Watch back = client.watchDurable("durable-test", "mine", mine, seen::add);
        var e = assertThrows(CadreException.class, () -> client.watchDurable("durable-test", "mine", mine, x -> { }));
        assertTrue(e.getMessage().contains("durable-test"), e.getMessage());
        assertEquals(List.of(JobState.PENDING, JobState.RUNNING, JobState.COMPLETED), statesUntilEnd(seen, id));
        back.unsubscribe();

        client.watchDurable("durable-test", "idle", mine, x -> { }).close();
        client.deleteSubscription("durable-test", "idle");
        assertThrows(CadreException.class, () -> client.deleteSubscription("durable-test", "idle"));
    }
}
