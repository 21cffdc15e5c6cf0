package dev.cadre.scheduler;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientReply.StartForecast.Unavailable;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobSpec;
import dev.cadre.scheduler.core.StartForecast;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans start forecasts (squeue --start, sbatch --test-only) on a thread of its own, off the scheduler's lock: the
 * lock is held only while the forecast's state is taken ({@link dev.cadre.scheduler.core.SchedulerCore#startForecast}),
 * and a plan of a thousand jobs, 60-130 ms on 100,000 pending (docs/benchmarks.md), no longer holds up a pass or an
 * event. The plans are made one at a time, in the order asked, and answered from this thread.
 *
 * <p>A forecast of the pending jobs asked for while one of the same state waits or is being planned
 * ({@link StartForecast#sameStateAs}) shares its answer instead of being planned again: a flood of squeue --start
 * on a quiet cluster is one plan. A trial has a spec of its own and is planned alone. At most
 * {@link #MOST_PLANS_WAITING} plans wait (each holds a copy of the free resources and releases) and
 * {@link #MOST_CALLERS_WAITING} callers with them; past either, a forecast is refused at once, saying so.
 *
 * @param <T> where an answer goes (a reply address)
 */
final class ForecastPlanner<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ForecastPlanner.class);
    static final int MOST_PLANS_WAITING = 16;
    static final int MOST_CALLERS_WAITING = 512;

    /** Sends answers from the planner's thread: queued one by one, then flushed once per plan. */
    interface Replies<T> {
        void send(T to, ClientReply reply);

        void flush();
    }

    /** One plan, and those waiting for it: more join a plain forecast's until it is answered. */
    private static final class Plan<T> {
        final StartForecast forecast;
        final JobSpec trial;
        final List<T> callers = new ArrayList<>();

        Plan(StartForecast forecast, JobSpec trial, T caller) {
            this.forecast = forecast;
            this.trial = trial;
            callers.add(caller);
        }
    }

    private final Replies<T> replies;
    private final Thread thread;
    private final ArrayDeque<Plan<T>> waiting = new ArrayDeque<>();
    /** The plan being made, or null. */
    private Plan<T> planning;
    private int callers;
    private boolean stopping;
    /** For tests: runs on the planner's thread before each plan, which can hold it there. */
    private volatile Runnable beforePlan = () -> { };

    ForecastPlanner(Replies<T> replies) {
        this.replies = replies;
        this.thread = new Thread(this::run, "cadre-forecasts");
        thread.setDaemon(true);
    }

    ForecastPlanner<T> start() {
        thread.start();
        return this;
    }

    void beforePlan(Runnable hook) {
        beforePlan = hook;
    }

    /**
     * Queues a forecast taken under the lock, to be planned and answered on the planner's thread.
     *
     * @param trial sbatch --test-only's spec, or null for the pending jobs' starts
     * @return the answer to send now instead, when it cannot be queued
     */
    synchronized Optional<ClientReply> ask(StartForecast forecast, JobSpec trial, T caller) {
        if (stopping) {
            return Optional.of(ClientReply.StartForecast.unavailable(Unavailable.STOPPING,
                    "the scheduler is stopping; nothing was planned"));
        }
        if (callers >= MOST_CALLERS_WAITING) {
            return Optional.of(busy(callers + " start forecasts are waiting for their plans, the most the scheduler"
                    + " keeps waiting"));
        }
        if (trial == null) {
            Plan<T> same = sameState(forecast);
            if (same != null) {
                same.callers.add(caller);
                callers++;
                return Optional.empty();
            }
        }
        int plans = waiting.size() + (planning == null ? 0 : 1);
        if (plans >= MOST_PLANS_WAITING) {
            return Optional.of(busy(plans + " start forecasts are being planned or waiting to be, the most the"
                    + " scheduler keeps waiting"));
        }
        waiting.add(new Plan<>(forecast, trial, caller));
        callers++;
        notifyAll();
        return Optional.empty();
    }

    /** Refused for now: the caller may ask again shortly, when the plans ahead are answered. */
    private static ClientReply busy(String why) {
        return ClientReply.StartForecast.unavailable(Unavailable.BUSY, why + "; nothing was planned for this one: ask"
                + " again shortly");
    }

    /** A plain forecast of the same state being planned or waiting, which one more caller may share. */
    private Plan<T> sameState(StartForecast forecast) {
        if (planning != null && planning.trial == null && planning.forecast.sameStateAs(forecast)) {
            return planning;
        }
        for (Plan<T> p : waiting) {
            if (p.trial == null && p.forecast.sameStateAs(forecast)) {
                return p;
            }
        }
        return null;
    }

    private void run() {
        while (true) {
            Plan<T> next;
            synchronized (this) {
                while (waiting.isEmpty() && !stopping) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        stopping = true;
                    }
                }
                if (stopping) {
                    break;
                }
                next = waiting.poll();
                planning = next;
            }
            ClientReply answer;
            try {
                beforePlan.run();
                answer = ControlRequests.planned(next.forecast, next.trial);
            } catch (RuntimeException e) {
                answer = RequestFailures.refusal(new ClientRequest.ForecastStarts(next.trial), e);
            }
            answer(next, answer);
        }
        // Stopping: those still waiting are told so rather than left to time out.
        List<Plan<T>> left;
        synchronized (this) {
            left = new ArrayList<>(waiting);
            waiting.clear();
        }
        for (Plan<T> p : left) {
            answer(p, ClientReply.StartForecast.unavailable(Unavailable.STOPPING,
                    "the scheduler stopped before planning it; nothing was planned"));
        }
    }

    private void answer(Plan<T> plan, ClientReply answer) {
        List<T> to;
        synchronized (this) {
            if (planning == plan) {
                planning = null;
            }
            to = List.copyOf(plan.callers);
            callers -= to.size();
        }
        try {
            to.forEach(t -> replies.send(t, answer));
            replies.flush();
        } catch (RuntimeException e) {
            LOG.error("could not send the answers of a start forecast to {} callers", to.size(), e);
        }
    }

    /** Finishes the plan being made (a plan takes at most a second or two), and refuses those still waiting. */
    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
        thread.join(TimeUnit.SECONDS.toMillis(10));
        if (thread.isAlive()) {
            LOG.warn("the start forecast planner did not stop within 10 s");
        }
    }
}
