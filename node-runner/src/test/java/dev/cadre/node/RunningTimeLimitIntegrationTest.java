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
 * scontrol update TimeLimit= on a running job, as its node gets it: a set-time-limit on the node's queue re-arms the
 * attempt's limit and its --signal warning, and a node-runner restarted meanwhile enforces the new limit.
 */
class RunningTimeLimitIntegrationTest {
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
        Files.writeString(work.resolve("go"), ""); // nothing a failed test started outlives it
        if (runner != null) {
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

    /** Runs until the test ends it; notes USR1, and touches past-N once it has run N seconds. */
    private NodeCommand.PlaceJob place(long id, JobSpec.Builder spec, int pastSeconds) {
        String script = "#!/bin/bash\ntrap 'echo USR1 >> " + work.resolve("signals-" + id) + "' USR1\n"
                + "(sleep " + pastSeconds + "; touch " + work.resolve("past-" + id) + ") &\n"
                + "while [ ! -f " + work.resolve("go") + " ]; do sleep 0.05; done\n";
        return new NodeCommand.PlaceJob(id, 1, spec.name("t" + id).user("alice").script(script)
                .workDir(work.toString()).build(), new Allocation(List.of(new Allocation.NodeSlots(runner.nodeId(),
                "host1", 1, 1, 0, 0))), "tok");
    }

    private Optional<RunnerEvent.RunnerFinished> finished(long id) {
        return events.stream().filter(e -> e instanceof RunnerEvent.RunnerFinished f && f.jobId() == id)
                .map(RunnerEvent.RunnerFinished.class::cast).findFirst();
    }

    private Instant running(long id) throws InterruptedException {
        await("job " + id + " to run", WAIT, () -> events.stream().anyMatch(e -> e instanceof
                RunnerEvent.RunnerRunning r && r.jobId() == id));
        return Instant.now();
    }

    @Test
    void anExtendedLimitOutlivesARestartAndAShortenedOneEndsTheJobAsTimeout() throws Exception {
        // 6 s: the new limit has that long to reach the node on a loaded machine.
        send(place(1, JobSpec.builder().timeLimitSeconds(6L), 7));
        Instant started = running(1);
        send(new NodeCommand.SetTimeLimit(1, 1, 30));
        Path kept = dir.resolve("state/jobs/1-1/" + AttemptTimeLimit.FILE);
        await("the new limit to be kept", WAIT, () -> Files.exists(kept));

        runner.close(); // the job runs on without its runner; the next one adopts it
        runner = startRunner();

        await("job 1 to run past its first limit of 6 s", WAIT, () -> Files.exists(work.resolve("past-1")));
        assertFalse(finished(1).isPresent(), "ended at its first limit: " + finished(1));

        long ranFor = Duration.between(started, Instant.now()).toSeconds();
        send(new NodeCommand.SetTimeLimit(1, 1, ranFor + 2));
        await("job 1 to end at its shortened limit", WAIT, () -> finished(1).isPresent());
        assertEquals(JobState.TIMEOUT, finished(1).get().killedFor());
        assertTrue(Duration.between(started, finished(1).get().time()).toSeconds() < 20,
                "ended " + Duration.between(started, finished(1).get().time()) + " after it started");
    }

    @Test
    void theWarningMovesWithTheLimitAndComesBeforeTheShortenedOne() throws Exception {
        // Warned 8 s before a 12 s limit: at 4 s, had the limit stayed; the new limit has that long to arrive.
        send(place(2, JobSpec.builder().timeLimitSeconds(12L).warningSignal("USR1").warningSeconds(8), 13));
        Instant started = running(2);
        send(new NodeCommand.SetTimeLimit(2, 1, 60));

        await("job 2 to run past its first limit of 12 s", WAIT, () -> Files.exists(work.resolve("past-2")));
        assertFalse(Files.exists(work.resolve("signals-2")), "warned for the first limit");
        assertFalse(finished(2).isPresent(), "ended at its first limit: " + finished(2));

        long ranFor = Duration.between(started, Instant.now()).toSeconds();
        send(new NodeCommand.SetTimeLimit(2, 1, ranFor + 10)); // warned 2 s from now, 8 s before the end
        await("job 2 to end at its shortened limit", WAIT, () -> finished(2).isPresent());
        assertEquals(JobState.TIMEOUT, finished(2).get().killedFor());
        assertEquals("USR1\n", Files.readString(work.resolve("signals-2")), "warned once, for the new limit");
    }

    @Test
    void aLimitForAnAttemptTheNodeDoesNotRunChangesNothing() throws Exception {
        send(new NodeCommand.SetTimeLimit(99, 1, 1));
        send(place(3, JobSpec.builder().timeLimitSeconds(2L), 1));
        await("job 3 to end at its limit", WAIT, () -> finished(3).isPresent());
        assertEquals(JobState.TIMEOUT, finished(3).get().killedFor());
    }
}
