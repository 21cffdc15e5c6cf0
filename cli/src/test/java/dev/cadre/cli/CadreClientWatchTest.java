package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    /**
     * An array of four tasks that wait an hour, once its pending event is published: the job-accepted reply comes
     * once the job is committed (protocol.md 6.1.4), and the event may be published after it, so a watch begun
     * right after the reply could see that event first, among those the test awaits.
     */
    private long pendingArray() throws Exception {
        BlockingQueue<JobEvent> mine = new LinkedBlockingQueue<>();
        try (Watch w = client.watchEvents(EventFilter.user(client.user()), mine::add)) {
            long array = client.submit(head.job("true").array("0-3")
                    .beginTime(java.time.Instant.now().plusSeconds(3600)).build()).accepted().get(30, TimeUnit.SECONDS);
            while (!(next(mine) instanceof JobEvent.JobStateChanged c && c.jobId() == array)) {
                // an event of another job
            }
            return array;
        }
    }

    @Test
    void anArrayWatchSeesEveryRecordOfTheArrayAndItsPartsJoiningButNoOtherJob() throws Exception {
        BlockingQueue<JobEvent> seen = new LinkedBlockingQueue<>();
        long other = client.submit(head.job("true").beginTime(java.time.Instant.now().plusSeconds(3600)).build())
                .accepted().get(30, TimeUnit.SECONDS);
        long array = pendingArray();
        RestClient api = RestClient.fromConfig(head.clientFile().toString());
        try (Watch w = client.watchEvents(EventFilter.array(array), seen::add)) {
            api.post("/api/jobs/" + array + "/hold", java.util.Map.of("tasks", "1-2"));
            JobEvent.JobStateChanged part = (JobEvent.JobStateChanged) next(seen);
            assertEquals(array, part.arrayJobId());
            assertTrue(part.jobId() != array && part.arrayTaskId() == null, "not a part: " + part);
            assertEquals(array, ((JobEvent.JobUpdated) next(seen)).jobId(), "the array's record, left with the rest");
            JobEvent.JobUpdated held = (JobEvent.JobUpdated) next(seen);
            assertEquals(List.of(part.jobId(), "user"), List.of(held.jobId(), held.hold()));
            api.post("/api/jobs/" + array + "/release", java.util.Map.of("tasks", "1-2"));
            assertEquals(array, ((JobEvent.JobUpdated) next(seen)).jobId(), "the array's record, which took them");
            assertEquals(new JobEvent.ArrayPartJoined(part.jobId(), array, array, client.user(), null),
                    withoutTime(next(seen)));
            // Published in this order: had the other job's ending passed the filter, it would come first.
            client.cancel(other).get(30, TimeUnit.SECONDS);
            client.cancel(array).get(30, TimeUnit.SECONDS);
            JobEvent.JobStateChanged cancelled = (JobEvent.JobStateChanged) next(seen);
            assertEquals(List.of(array, JobState.CANCELLED), List.of(cancelled.jobId(), cancelled.state()));
        }
    }

    @Test
    void aTaskWatchSeesTheRecordRunningItAndThoseHoldingPendingTasksButNoOtherTask() throws Exception {
        BlockingQueue<JobEvent> seen = new LinkedBlockingQueue<>();
        long array = pendingArray();
        RestClient api = RestClient.fromConfig(head.clientFile().toString());
        try (Watch w = client.watchEvents(EventFilter.task(array, 2), seen::add)) {
            // Task 1 split off into a record of its own: had its events passed the filter, they would come first.
            api.post("/api/jobs/" + array + "_1/hold", java.util.Map.of());
            api.post("/api/jobs/" + array + "_2/hold", java.util.Map.of());
            // The array's record, left without task 1: a record holding pending tasks, task 2 among them.
            JobEvent.JobUpdated left = (JobEvent.JobUpdated) next(seen);
            assertEquals(List.of(array, array), List.of(left.jobId(), left.arrayJobId()));
            assertNull(left.arrayTaskId());
            JobEvent.JobStateChanged own = (JobEvent.JobStateChanged) next(seen);
            assertEquals(List.of(array, 2), List.of(own.arrayJobId(), own.arrayTaskId()));
            assertEquals(array, ((JobEvent.JobUpdated) next(seen)).jobId(), "left without task 2");
            JobEvent.JobUpdated held = (JobEvent.JobUpdated) next(seen);
            assertEquals(List.of(own.jobId(), 2, "user"), List.of(held.jobId(), held.arrayTaskId(), held.hold()));
            client.cancel(array).get(30, TimeUnit.SECONDS);
            java.util.Set<Long> cancelled = new java.util.HashSet<>();
            while (cancelled.size() < 2) {
                JobEvent.JobStateChanged e = (JobEvent.JobStateChanged) next(seen);
                assertTrue(e.jobId() == array && e.arrayTaskId() == null || e.jobId() == own.jobId(), "" + e);
                assertEquals(JobState.CANCELLED, e.state());
                cancelled.add(e.jobId());
            }
        }
    }

    private static JobEvent next(BlockingQueue<JobEvent> queue) throws InterruptedException {
        JobEvent e = queue.poll(InJvmHead.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event came in time");
        }
        return e;
    }

    private static JobEvent withoutTime(JobEvent e) {
        return e instanceof JobEvent.ArrayPartJoined j
                ? new JobEvent.ArrayPartJoined(j.jobId(), j.arrayJobId(), j.into(), j.user(), null) : e;
    }
}
