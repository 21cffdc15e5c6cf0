package dev.cadre.node;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The runner events the head receives, as a scheduler would read them off their queue. */
final class RunnerEventLog {
    final List<RunnerEvent> events = new CopyOnWriteArrayList<>();

    RunnerEventLog(Connection head) throws JMSException {
        Session listen = head.createSession(false, Session.AUTO_ACKNOWLEDGE);
        listen.createConsumer(listen.createQueue(Destinations.RUNNER_EVENTS)).setMessageListener(m -> {
            try {
                RunnerEvent e = MessageCodec.decode(((TextMessage) m).getText(), RunnerEvent.class);
                if (e instanceof RunnerEvent.RunnerEvents batch) {
                    events.addAll(batch.events());
                } else {
                    events.add(e);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    RunnerEvent.RunnerFinished finished(long jobId) throws InterruptedException {
        return JobSupervisorIntegrationTest.finished(events, jobId, Duration.ofSeconds(30));
    }
}
