package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientReply.StartForecast.Unavailable;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.scheduler.core.PlacementPolicy;
import dev.cadre.scheduler.core.SchedulerCore;
import dev.cadre.scheduler.core.StartForecast;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The forecasts' thread on a real core and a fixed clock: plans of the same state are shared, the waiting ones are
 * bounded and refused past the bound with a reason, and the planner goes on answering after a flood.
 */
class ForecastPlannerTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private final SchedulerCore core = new SchedulerCore(Clock.fixed(NOW, ZoneOffset.UTC),
            PlacementPolicy.Kind.EASY, Duration.ofSeconds(30), (id, attempt) -> "t");
    /** What each caller was answered, in the order answered. */
    private final Map<String, ClientReply> answers = new LinkedHashMap<>();
    private final AtomicInteger flushes = new AtomicInteger();
    private final ForecastPlanner<String> planner = new ForecastPlanner<String>(new ForecastPlanner.Replies<>() {
        @Override
        public void send(String to, ClientReply reply) {
            synchronized (answers) {
                answers.put(to, reply);
            }
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
            synchronized (answers) {
                answers.notifyAll();
            }
        }
    }).start();
    private final CountDownLatch planning = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger plans = new AtomicInteger();
    private long nextId = 1;

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        planner.close();
    }

    private void holdThePlanner() {
        planner.beforePlan(() -> {
            plans.incrementAndGet();
            planning.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void submit(int tasks) {
        core.admitted(new JobRecord(nextId++, null, spec(tasks), JobState.PENDING, "None", 0, null, false, null,
                null, NOW, null, null));
    }

    private static JobSpec spec(int tasks) {
        return JobSpec.builder().name("j").user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp").tasks(tasks)
                .timeLimitSeconds(600L).build();
    }

    private void awaitAnswers(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        synchronized (answers) {
            while (answers.size() < count && System.nanoTime() < deadline) {
                answers.wait(100);
            }
            assertEquals(count, answers.size(), "answers: " + answers.keySet());
        }
    }

    @Test
    void forecastsOfTheSameStateShareOnePlanAndAChangeMakesAnother() throws Exception {
        core.onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "host1", List.of(), 4, 64_000, 0, List.of(), NOW));
        submit(4);
        submit(4);
        core.schedule();
        holdThePlanner();
        assertEquals(Optional.empty(), planner.ask(core.startForecast(), null, "a"));
        assertTrue(planning.await(20, TimeUnit.SECONDS), "the first plan never started");
        StartForecast first = core.startForecast();
        assertEquals(Optional.empty(), planner.ask(first, null, "b"), "shares the plan under way");
        submit(2);
        StartForecast changed = core.startForecast();
        assertEquals(Optional.empty(), planner.ask(changed, null, "c"));
        assertEquals(Optional.empty(), planner.ask(core.startForecast(), null, "d"), "shares the waiting plan");
        assertEquals(Optional.empty(), planner.ask(core.startForecast(), spec(1), "trial"), "planned alone");
        release.countDown();
        awaitAnswers(5);

        assertEquals(3, plans.get(), "one plan for a and b, one for c and d, one for the trial");
        assertSame(answers.get("a"), answers.get("b"));
        assertSame(answers.get("c"), answers.get("d"));
        assertEquals(ControlRequests.planned(first, null), answers.get("a"));
        assertEquals(ControlRequests.planned(changed, null), answers.get("c"));
        assertEquals(2, ((ClientReply.StartForecast) answers.get("c")).starts().size(), "the job submitted since");
        assertEquals(ControlRequests.planned(changed, spec(1)), answers.get("trial"));
        assertEquals(List.of("a", "b", "c", "d", "trial"), List.copyOf(answers.keySet()), "in the order asked");
    }

    @Test
    void pastTheBoundAForecastIsRefusedSayingSoAndTheRestAreAnswered() throws Exception {
        core.onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "host1", List.of(), 4, 64_000, 0, List.of(), NOW));
        submit(4);
        submit(4);
        core.schedule();
        holdThePlanner();
        assertEquals(Optional.empty(), planner.ask(core.startForecast(), null, "plain-0"));
        assertTrue(planning.await(20, TimeUnit.SECONDS), "the first plan never started");
        // Trials are planned one by one: the plans run out first.
        int asked = 1;
        for (int i = 1; i < ForecastPlanner.MOST_PLANS_WAITING; i++) {
            assertEquals(Optional.empty(), planner.ask(core.startForecast(), spec(1), "trial-" + i));
            asked++;
        }
        ClientReply tooMany = planner.ask(core.startForecast(), spec(1), "trial-refused").orElse(null);
        var refused = assertInstanceOf(ClientReply.StartForecast.class, tooMany);
        assertEquals(List.of(), refused.starts());
        assertNotNull(refused.reason());
        assertTrue(refused.reason().startsWith("16 start forecasts are being planned or waiting to be, the most the"
                + " scheduler keeps waiting; nothing was planned for this one"), refused.reason());
        assertEquals(Unavailable.BUSY, refused.unavailable(), "marked to be asked again later");
        // Forecasts of the same state still share the plan under way, up to the most callers waiting.
        while (asked < ForecastPlanner.MOST_CALLERS_WAITING) {
            assertEquals(Optional.empty(), planner.ask(core.startForecast(), null, "plain-" + asked));
            asked++;
        }
        var flooded = assertInstanceOf(ClientReply.StartForecast.class,
                planner.ask(core.startForecast(), null, "plain-refused").orElse(null));
        assertTrue(flooded.reason().startsWith("512 start forecasts are waiting for their plans"), flooded.reason());
        assertEquals(Unavailable.BUSY, flooded.unavailable());

        release.countDown();
        awaitAnswers(asked);
        assertFalse(answers.containsKey("trial-refused") || answers.containsKey("plain-refused"));
        for (ClientReply r : answers.values()) {
            assertNull(((ClientReply.StartForecast) r).reason(), r.toString());
            assertNull(((ClientReply.StartForecast) r).unavailable(), r.toString());
        }
        assertEquals(ForecastPlanner.MOST_PLANS_WAITING, plans.get(), "one plan for every plain forecast, one for"
                + " each trial");

        // Nothing else broken: the next forecast is planned and answered.
        answers.clear();
        assertEquals(Optional.empty(), planner.ask(core.startForecast(), null, "after"));
        awaitAnswers(1);
        assertEquals(ControlRequests.planned(core.startForecast(), null), answers.get("after"));
    }

    @Test
    void aStoppingPlannerRefusesForNowWhatItWillNotPlan() throws Exception {
        core.onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "host1", List.of(), 4, 64_000, 0, List.of(), NOW));
        submit(4);
        core.schedule();
        holdThePlanner();
        assertEquals(Optional.empty(), planner.ask(core.startForecast(), null, "planning"));
        assertTrue(planning.await(20, TimeUnit.SECONDS), "the first plan never started");
        assertEquals(Optional.empty(), planner.ask(core.startForecast(), spec(1), "waiting"));
        Thread closer = new Thread(() -> {
            try {
                planner.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closer.start();
        // close() marks the planner stopping, then waits for its thread: seen waiting, it has marked it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (closer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        var late = assertInstanceOf(ClientReply.StartForecast.class,
                planner.ask(core.startForecast(), null, "late").orElse(null));
        assertEquals(Unavailable.STOPPING, late.unavailable(), late.toString());
        assertEquals("the scheduler is stopping; nothing was planned", late.reason());

        release.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(20));
        awaitAnswers(2);
        assertNull(((ClientReply.StartForecast) answers.get("planning")).unavailable(), "the plan under way is"
                + " finished and answered");
        var waiting = (ClientReply.StartForecast) answers.get("waiting");
        assertEquals(Unavailable.STOPPING, waiting.unavailable(), waiting.toString());
        assertEquals("the scheduler stopped before planning it; nothing was planned", waiting.reason());
    }
}
