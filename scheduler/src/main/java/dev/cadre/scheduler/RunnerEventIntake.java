package dev.cadre.scheduler;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.scheduler.core.Decisions;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns node-runners' events into job state changes. Unreadable events, and events the scheduler fails on (such
 * as a runner-finished with a killedFor no kill is made for), are logged and dropped: one bad event must neither
 * stop the scheduler nor cost the other events of its batch their handling.
 */
final class RunnerEventIntake extends BatchingConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerEventIntake.class);
    private final SchedulerService service;

    RunnerEventIntake(Connection connection, SchedulerService service, int batchSize) throws JMSException {
        super(connection, Destinations.RUNNER_EVENTS, batchSize, "cadre-runner-events");
        this.service = service;
    }

    /**
     * The whole batch is one decision, saved in one SQLite transaction before the batch is acknowledged: a
     * transaction per event cost more than the events' own rows. The core still sees the events in the order
     * they came, each after the one before has changed its state.
     */
    @Override
    void handle(Session session, List<Message> batch) throws Exception {
        long started = System.nanoTime();
        List<RunnerEvent> events = new ArrayList<>(batch.size());
        for (Message m : batch) {
            try {
                if (!(m instanceof TextMessage t)) {
                    throw new ProtocolException(RejectionCode.WRONG_BODY, "runner events must be text messages");
                }
                RunnerEvent event = MessageCodec.decode(t.getText(), RunnerEvent.class);
                // A node's batch is taken apart so that each event in it is decided, or dropped, on its own.
                for (RunnerEvent e : event instanceof RunnerEvent.RunnerEvents many ? many.events() : List.of(event)) {
                    String problem = e.problem();
                    if (problem == null) {
                        events.add(e);
                    } else {
                        LOG.warn("dropping a {} that no node sends: {}", MessageCodec.typeName(e), shown(problem));
                    }
                }
            } catch (ProtocolException e) {
                LOG.warn("dropping unreadable runner event: {}", e.getMessage());
            }
        }
        if (events.isEmpty()) {
            return;
        }
        service.apply(() -> {
            Decisions d = new Decisions();
            for (RunnerEvent event : events) {
                try {
                    d.addAll(service.core().onRunnerEvent(event));
                } catch (RuntimeException e) {
                    LOG.error("dropping a runner event the scheduler failed on: {}", event, e);
                }
            }
            return d;
        });
        // The batch's events share its time evenly (sdiag's ave_time): they are decided and stored together.
        long each = (System.nanoTime() - started) / events.size();
        for (RunnerEvent event : events) {
            service.statistics().handled(MessageCodec.typeName(event), 1, each);
        }
    }

    private static String shown(String problem) {
        String cut = problem.length() > 200 ? problem.substring(0, 200) + "..." : problem;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    @Override
    void fatal(Throwable e) {
        LOG.error("runner event intake stopped", e);
        service.fatal(e);
    }
}
