package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * squeue --start is planned off the scheduler's lock: while its plan is held on the forecasts' thread, a submission
 * is answered, a node's heartbeat taken in and the job started by a pass; and a flood of forecasts past the bound is
 * refused at once, saying so, while the others are answered once the plan goes on.
 */
class ForecastOffLockIntegrationTest {
    @TempDir
    Path dir;

    private static JobSpec job() {
        return JobSpec.builder().name("j").user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp").tasks(1)
                .timeLimitSeconds(600L).build();
    }

    @Test
    void aPassAnEventAndASubmissionGoOnWhileAForecastIsPlanned() throws Exception {
        CountDownLatch planning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(200), e -> { })) {
            head.scheduler().forecasts().planner().beforePlan(() -> {
                planning.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            head.scheduler().start();
            try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().admin(), "client")) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                TemporaryQueue replies = s.createTemporaryQueue();
                MessageConsumer consumer = s.createConsumer(replies);
                MessageConsumer running = s.createConsumer(s.createTopic(Destinations.EVENTS),
                        "type = 'job-state-changed'");
                SubmissionIntakeIntegrationTest.send(s, replies, MessageCodec.encode(new ClientRequest.ForecastStarts()),
                        "c-forecast");
                assertTrue(planning.await(20, TimeUnit.SECONDS), "the forecast's plan never started");

                // The plan is held: the lock is not, and neither is the submissions' thread.
                s.createProducer(s.createQueue(Destinations.RUNNER_EVENTS)).send(s.createTextMessage(MessageCodec
                        .encode(new RunnerEvent.NodeHeartbeat("n1", "host1", List.of("10.0.0.1"), 8, 4096, 0,
                                List.of(), Instant.now()))));
                SubmissionIntakeIntegrationTest.send(s, replies, MessageCodec.encode(new ClientRequest.SubmitJob(
                        "s-1", job())), "c-submit");
                var accepted = assertInstanceOf(ClientReply.JobAccepted.class, reply(consumer, "c-submit"));
                JobEvent.JobStateChanged started = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (started == null && System.nanoTime() < deadline) {
                    TextMessage m = (TextMessage) running.receive(1_000);
                    if (m != null && MessageCodec.decode(m.getText()) instanceof JobEvent.JobStateChanged e
                            && e.jobId() == accepted.jobId() && e.state() == JobState.RUNNING) {
                        started = e;
                    }
                }
                assertNotNull(started, "the node's heartbeat taken in and the job placed by a pass while the"
                        + " forecast was planned");

                // A flood: each trial is a plan of its own, and the plans waiting are bounded.
                for (int i = 1; i < ForecastPlanner.MOST_PLANS_WAITING; i++) {
                    SubmissionIntakeIntegrationTest.send(s, replies, MessageCodec.encode(
                            new ClientRequest.ForecastStarts(job())), "c-trial-" + i);
                }
                SubmissionIntakeIntegrationTest.send(s, replies, MessageCodec.encode(
                        new ClientRequest.ForecastStarts(job())), "c-trial-refused");
                var refused = assertInstanceOf(ClientReply.StartForecast.class, reply(consumer, "c-trial-refused"));
                assertEquals(List.of(), refused.starts());
                assertTrue(refused.reason() != null && refused.reason().startsWith("16 start forecasts are being"
                        + " planned or waiting to be"), String.valueOf(refused.reason()));

                release.countDown();
                Map<String, ClientReply> answers = new HashMap<>();
                for (int i = 0; i < ForecastPlanner.MOST_PLANS_WAITING; i++) {
                    TextMessage m = (TextMessage) consumer.receive(20_000);
                    assertNotNull(m, "answers so far: " + answers.keySet());
                    answers.put(m.getJMSCorrelationID(), MessageCodec.decode(m.getText(), ClientReply.class));
                }
                var forecast = assertInstanceOf(ClientReply.StartForecast.class, answers.get("c-forecast"));
                assertNull(forecast.reason());
                assertEquals(List.of(), forecast.starts(), "as things stood when it was asked: no job yet");
                var trial = assertInstanceOf(ClientReply.StartForecast.class, answers.get("c-trial-1"));
                assertNull(trial.reason(), trial.toString());
                assertEquals(List.of("host1"), trial.starts().get(0).nodes(), "room beside the running job");
            } finally {
                release.countDown();
            }
        }
    }

    private static ClientReply reply(MessageConsumer consumer, String correlation) throws Exception {
        TextMessage m = (TextMessage) consumer.receive(10_000);
        assertNotNull(m, "no reply to " + correlation + " within 10 s");
        assertEquals(correlation, m.getJMSCorrelationID());
        return MessageCodec.decode(m.getText(), ClientReply.class);
    }
}
