package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scontrol suspend and resume as a node carries them out, on real processes over the embedded broker: a job counting
 * stops counting while suspended and goes on once resumed, its time limit does not run meanwhile, a node-runner
 * restarted while it is suspended leaves it so, and a kill of a suspended attempt ends it.
 */
class SuspendAttemptIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    @TempDir
    Path work;
    private InVmBroker broker;
    private NodeRunner runner;
    private final List<RunnerEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = InVmBroker.start(dir.resolve("broker"));
        Session listen = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE);
        listen.createConsumer(listen.createQueue(Destinations.RUNNER_EVENTS)).setMessageListener(m -> {
            try {
                RunnerEvent e = MessageCodec.decode(((TextMessage) m).getText(), RunnerEvent.class);
                events.addAll(e instanceof RunnerEvent.RunnerEvents batch ? batch.events() : List.of(e));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        broker.head().start();
        runner = startRunner();
        broker.node().start();
    }

    @AfterEach
    void stop() throws Exception {
        Files.writeString(work.resolve("go"), "");
        if (runner != null) {
            // A job a failed test left stopped must see the file to end.
            for (long id = 1; id <= 3; id++) {
                send(new NodeCommand.ResumeAttempt(id, 1, null));
            }
            runner.close();
        }
        broker.close();
    }

    private NodeRunner startRunner() throws Exception {
        return new NodeRunner(broker.node(), new NodeRunner.Settings(dir.resolve("state"), "host1",
                new NodeResources(2, 1024, 0, List.of("127.0.0.1")), Duration.ofSeconds(30), Duration.ofSeconds(1),
                "cadre", null), Clock.systemUTC()).start();
    }

    private void send(NodeCommand command) throws Exception {
        try (Session s = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            s.createProducer(s.createQueue(Destinations.nodeQueue(runner.nodeId())))
                    .send(s.createTextMessage(MessageCodec.encode(command)));
        }
    }

    /** Counts in a file, a child process per step, until the test ends it. */
    private NodeCommand.PlaceJob counting(long id, Long limit) {
        Path counter = work.resolve("counter-" + id);
        String script = "#!/bin/bash\nn=0\nwhile [ ! -f " + work.resolve("go") + " ]; do n=$((n+1)); echo $n > "
                + counter + ".new; mv " + counter + ".new " + counter + "; sleep 0.05; done\n";
        return new NodeCommand.PlaceJob(id, 1, JobSpec.builder().timeLimitSeconds(limit).name("c" + id).user("alice")
                .script(script).workDir(work.toString()).build(), new Allocation(List.of(new Allocation.NodeSlots(
                runner.nodeId(), "host1", 1, 1, 0, 0))), "tok");
    }

    private long count(long id) {
        try {
            return Long.parseLong(Files.readString(work.resolve("counter-" + id)).trim());
        } catch (IOException | NumberFormatException e) {
            return -1; // not written yet, or caught between its write and its move
        }
    }

    private Optional<RunnerEvent.RunnerFinished> finished(long id) {
        return events.stream().filter(e -> e instanceof RunnerEvent.RunnerFinished f && f.jobId() == id)
                .map(RunnerEvent.RunnerFinished.class::cast).findFirst();
    }

    /** Waits until the count is past what it was by {@code steps}. */
    private void advances(long id, int steps, String why) throws InterruptedException {
        long from = Math.max(0, count(id));
        await(why, WAIT, () -> count(id) >= from + steps);
    }

    /** The count stays as it is for the given time: the job is stopped. */
    private void standsStill(long id, Duration during, String why) throws InterruptedException {
        long stopped = count(id);
        Instant until = Instant.now().plus(during);
        await("the clock", WAIT, () -> Instant.now().isAfter(until) || count(id) != stopped);
        assertEquals(stopped, count(id), why);
    }

    /** Suspended once the count stands still for a moment: the suspend reached every process. */
    private void suspend(long id) throws Exception {
        send(new NodeCommand.SuspendAttempt(id, 1));
        Path marker = dir.resolve("state/jobs/" + id + "-1/" + AttemptSuspension.FILE);
        await("the suspend to be kept", WAIT, () -> Files.exists(marker));
        long[] last = {count(id)};
        Instant[] since = {Instant.now()};
        await("the count to stop", WAIT, () -> {
            long now = count(id);
            if (now != last[0]) {
                last[0] = now;
                since[0] = Instant.now();
            }
            return Duration.between(since[0], Instant.now()).toMillis() > 500;
        });
    }

    @Test
    void aSuspendedJobStopsCountingOutlivesARestartOfItsRunnerAndGoesOnOnceResumed() throws Exception {
        send(counting(1, null));
        advances(1, 3, "job 1 to count");

        suspend(1);
        standsStill(1, Duration.ofSeconds(1), "stopped while suspended");

        runner.close(); // the job stays stopped without its runner; the next one adopts it suspended
        runner = startRunner();
        await("the attempt to be adopted", WAIT, () -> events.stream().filter(e -> e instanceof
                RunnerEvent.NodeHeartbeat).count() >= 2);
        standsStill(1, Duration.ofSeconds(1), "still stopped after the runner's restart");

        send(new NodeCommand.ResumeAttempt(1, 1, null));
        advances(1, 3, "job 1 to count again once resumed");
        assertFalse(Files.exists(dir.resolve("state/jobs/1-1/" + AttemptSuspension.FILE)));
        assertFalse(finished(1).isPresent());
    }

    @Test
    void theTimeLimitDoesNotRunWhileSuspendedAndTheResumesLimitAddsTheTimeSuspended() throws Exception {
        send(counting(2, 4L));
        Instant started = Instant.now();
        advances(2, 3, "job 2 to count");
        suspend(2);
        standsStill(2, Duration.ofSeconds(5), "stopped past its 4 s limit");
        assertFalse(finished(2).isPresent(), "its limit ran while it was suspended: " + finished(2));

        long suspendedFor = Duration.between(started, Instant.now()).toSeconds();
        send(new NodeCommand.ResumeAttempt(2, 1, 4 + suspendedFor));
        advances(2, 3, "job 2 to count again");
        await("job 2 to end at its moved limit", WAIT, () -> finished(2).isPresent());
        assertEquals(JobState.TIMEOUT, finished(2).get().killedFor());
        assertTrue(Duration.between(started, finished(2).get().time()).toSeconds() >= 4 + suspendedFor - 1,
                "ended " + Duration.between(started, finished(2).get().time()) + " after its start");
    }

    @Test
    void aKillOfASuspendedAttemptEndsIt() throws Exception {
        send(counting(3, null));
        advances(3, 3, "job 3 to count");
        suspend(3);

        send(new NodeCommand.KillJob(3, 1, JobState.CANCELLED));

        await("job 3 to end", WAIT, () -> finished(3).isPresent());
        assertEquals(JobState.CANCELLED, finished(3).get().killedFor());
        assertEquals(15, finished(3).get().signal(), "SIGTERM reached it, continued after it");
    }
}
