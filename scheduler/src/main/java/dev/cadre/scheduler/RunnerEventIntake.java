package dev.cadre.scheduler;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns node-runners' events into job state changes. Unreadable events are logged and dropped. */
final class RunnerEventIntake extends BatchingConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerEventIntake.class);
    private final SchedulerService service;

    RunnerEventIntake(Connection connection, SchedulerService service, int batchSize) throws JMSException {
        super(connection, Destinations.RUNNER_EVENTS, batchSize, "cadre-runner-events");
        this.service = service;
    }

    @Override
    void handle(Session session, List<Message> batch) throws Exception {
        for (Message m : batch) {
            RunnerEvent event;
            try {
                if (!(m instanceof TextMessage t)) {
                    throw new ProtocolException(RejectionCode.WRONG_BODY, "runner events must be text messages");
                }
                event = MessageCodec.decode(t.getText(), RunnerEvent.class);
            } catch (ProtocolException e) {
                LOG.warn("dropping unreadable runner event: {}", e.getMessage());
                continue;
            }
            service.apply(() -> service.core().onRunnerEvent(event));
        }
    }
}
