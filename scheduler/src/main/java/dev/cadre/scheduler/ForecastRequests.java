package dev.cadre.scheduler;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.util.Optional;

/**
 * forecast-starts (squeue --start, sbatch --test-only, GET /api/jobs/starts): judged and taken under the core's lock,
 * cheaply ({@link ControlRequests#forecast}), then planned off it. From cadre.submit the plan is made and answered
 * on the {@link ForecastPlanner}'s thread, with a reply session of its own; a direct call plans on the caller's
 * thread. A forecast changes nothing: it stores no answer under a request id and sends no decision.
 */
final class ForecastRequests implements AutoCloseable {
    private final Object lock;
    private final ControlRequests controls;
    private final ReplySender replies;
    private final ForecastPlanner<ReplySender.Address> planner;

    /** @param lock the core's lock, held only while the forecast is taken */
    ForecastRequests(Connection connection, Object lock, ControlRequests controls) throws JMSException {
        this.lock = lock;
        this.controls = controls;
        this.replies = new ReplySender(connection);
        this.planner = new ForecastPlanner<>(new ForecastPlanner.Replies<>() {
            @Override
            public void send(ReplySender.Address to, ClientReply reply) {
                replies.reply(to, reply);
            }

            @Override
            public void flush() {
                replies.flush();
            }
        });
    }

    void start() {
        planner.start();
    }

    /** Taken under the lock, planned on this thread. */
    ClientReply answer(ClientRequest.ForecastStarts request) {
        ControlRequests.ForecastToPlan p = take(request);
        if (p.answer() != null) {
            return p.answer();
        }
        try {
            return ControlRequests.planned(p.forecast(), p.trial());
        } catch (RuntimeException e) {
            return RequestFailures.refusal(request, e);
        }
    }

    /**
     * Taken under the lock, planned and answered to the address on the planner's thread.
     *
     * @return the answer to send now instead: a trial its submission would refuse, or a refusal when too many
     *         forecasts wait already ({@link ForecastPlanner#ask})
     */
    Optional<ClientReply> answerLater(ClientRequest.ForecastStarts request, ReplySender.Address to) {
        ControlRequests.ForecastToPlan p = take(request);
        return p.answer() != null ? Optional.of(p.answer()) : planner.ask(p.forecast(), p.trial(), to);
    }

    private ControlRequests.ForecastToPlan take(ClientRequest.ForecastStarts request) {
        synchronized (lock) {
            return controls.forecast(request);
        }
    }

    /** For tests: the planner, whose thread they may hold before a plan. */
    ForecastPlanner<ReplySender.Address> planner() {
        return planner;
    }

    @Override
    public void close() throws Exception {
        planner.close();
        replies.close();
    }
}
