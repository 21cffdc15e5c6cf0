package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node-runner on a real broker, driven only by messages on its queue: commands taken many to a transaction. */
class NodeRunnerIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path dir;
    @TempDir
    Path work;
    private InVmBroker broker;
    private Connection node;
    private Connection head;
    private NodeRunner runner;
    private final List<RunnerEvent> events = new CopyOnWriteArrayList<>();
    /** The wire type of every message on the runner-event queue. */
    private final List<String> messageTypes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = InVmBroker.start(dir.resolve("broker"));
        node = broker.node();
        head = broker.head();
        Session listen = head.createSession(false, Session.AUTO_ACKNOWLEDGE);
        listen.createConsumer(listen.createQueue(Destinations.RUNNER_EVENTS)).setMessageListener(m -> {
            try {
                RunnerEvent e = MessageCodec.decode(((TextMessage) m).getText(), RunnerEvent.class);
                messageTypes.add(MessageCodec.typeName(e));
                if (e instanceof RunnerEvent.RunnerEvents batch) {
                    events.addAll(batch.events());
                } else {
                    events.add(e);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        head.start();
        runner = new NodeRunner(node, new NodeRunner.Settings(dir.resolve("state"), "host1",
                new NodeResources(4, 1024, 0, List.of("127.0.0.1")), Duration.ofSeconds(30), Duration.ofSeconds(1),
                "cadre", null), Clock.systemUTC()).start();
        node.start();
    }

    @AfterEach
    void stop() throws Exception {
        Files.writeString(work.resolve("go"), ""); // nothing a failed test started outlives it
        if (runner != null) {
            runner.close();
        }
        broker.close();
    }

    private NodeCommand.PlaceJob place(long id, String body) {
        JobSpec spec = JobSpec.builder().name("t" + id).user("alice").script("#!/bin/bash\n" + body + "\n")
                .workDir(work.toString()).build();
        return new NodeCommand.PlaceJob(id, 1, spec,
                new Allocation(List.of(new Allocation.NodeSlots(runner.nodeId(), "host1", 1, 1, 0, 0))), "tok");
    }

    /** Sends the commands in one transaction, so that they all wait on the node's queue at once. */
    private void sendAtOnce(List<NodeCommand> commands) throws Exception {
        try (Session s = head.createSession(true, Session.SESSION_TRANSACTED)) {
            MessageProducer p = s.createProducer(s.createQueue(Destinations.nodeQueue(runner.nodeId())));
            for (NodeCommand c : commands) {
                p.send(s.createTextMessage(MessageCodec.encode(c)));
            }
            s.commit();
        }
    }

    private <T extends RunnerEvent> Map<Long, Long> countBy(Class<T> type, Function<T, Long> job) {
        return events.stream().filter(type::isInstance).map(type::cast)
                .collect(Collectors.groupingBy(job, Collectors.counting()));
    }

    @Test
    void aBurstOfCommandsRunsEachJobOnceSendsTheSignalAmongThemOnceAndLeavesNothingUnacknowledged()
            throws Exception {
        Path signals = work.resolve("signals");
        sendAtOnce(List.of(place(1, "trap 'echo USR1 >> " + signals + "' USR1; while [ ! -f " + work.resolve("go")
                + " ]; do sleep 0.05; done")));
        await("job 1 to run", WAIT, () -> countBy(RunnerEvent.RunnerRunning.class, RunnerEvent.RunnerRunning::jobId)
                .containsKey(1L));
        // More place-jobs than one transaction takes, with the signal between them.
        List<NodeCommand> burst = new ArrayList<>();
        for (long id = 100; id < 250; id++) {
            burst.add(place(id, "true"));
            if (id == 170) {
                burst.add(new NodeCommand.SignalAttempt(1, 1, "USR1", true));
            }
        }
        sendAtOnce(burst);
        await("150 jobs to finish", WAIT, () -> countBy(RunnerEvent.RunnerFinished.class,
                RunnerEvent.RunnerFinished::jobId).keySet().stream().filter(id -> id >= 100).count() == 150);
        await("the signal to reach job 1", WAIT, () -> Files.exists(signals));
        Files.writeString(work.resolve("go"), "");
        await("job 1 to finish", WAIT, () -> countBy(RunnerEvent.RunnerFinished.class,
                RunnerEvent.RunnerFinished::jobId).containsKey(1L));
        runner.close();
        runner = null;
        assertEquals(List.of("USR1"), Files.readAllLines(signals));
        Map<Long, Long> ran = countBy(RunnerEvent.RunnerRunning.class, RunnerEvent.RunnerRunning::jobId);
        Map<Long, Long> ended = countBy(RunnerEvent.RunnerFinished.class, RunnerEvent.RunnerFinished::jobId);
        assertEquals(151, ran.size());
        assertEquals(151, ended.size());
        assertFalse(ran.values().stream().anyMatch(n -> n != 1), "a job reported running twice: " + ran);
        assertFalse(ended.values().stream().anyMatch(n -> n != 1), "a job reported ended twice: " + ended);
        try (Session s = head.createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser left = s.createBrowser(s.createQueue(Destinations.nodeQueue(
                     NodeIdentity.loadOrCreate(dir.resolve("state"), "host1"))))) {
            assertFalse(left.getEnumeration().hasMoreElements(), "commands left unacknowledged on the node's queue");
        }
    }

    @Test
    void placeJobsInOneMessageRunEachOnceAndTheirEventsShareMessages() throws Exception {
        List<NodeCommand.PlaceJob> placements = new ArrayList<>();
        for (long id = 300; id < 400; id++) {
            placements.add(place(id, "true"));
        }
        sendAtOnce(List.of(new NodeCommand.PlaceJobs(placements.subList(0, 64)),
                new NodeCommand.PlaceJobs(placements.subList(64, 100))));
        await("100 jobs to finish", WAIT, () -> countBy(RunnerEvent.RunnerFinished.class,
                RunnerEvent.RunnerFinished::jobId).size() == 100);
        runner.close();
        runner = null;
        Map<Long, Long> ran = countBy(RunnerEvent.RunnerRunning.class, RunnerEvent.RunnerRunning::jobId);
        assertEquals(100, ran.size());
        assertFalse(ran.values().stream().anyMatch(n -> n != 1), "a job reported running twice: " + ran);
        // The launches of one transaction are awaited together, so their runner-running events go out batched.
        long batches = messageTypes.stream().filter("runner-events"::equals).count();
        assertTrue(batches > 0, "no runner-events message among " + messageTypes);
        assertTrue(messageTypes.size() < 150, messageTypes.size() + " messages for 200 events: " + messageTypes);
    }
}
