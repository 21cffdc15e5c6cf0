package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** squeue --start's expected starts, planned from the core's state with a fake clock. */
class StartForecastTest {
    private static String starts(CoreScenario s) {
        Instant now = s.clock.instant();
        return s.core.forecast().stream().map(f -> f.jobId() + "@+" + Duration.between(now, f.at()).toSeconds()
                + f.hosts()).collect(Collectors.joining(" "));
    }

    @Test
    void waitingJobsAreExpectedAsRunningJobsReachTheirLimitsAndTheJobsAheadOfThemTheirs() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);
        s.node("n1", 4);
        long running = s.submit(CoreScenario.spec().tasks(4).timeLimitSeconds(600L));
        long big = s.submit(CoreScenario.spec().tasks(4).timeLimitSeconds(600L));
        long after = s.submit(CoreScenario.spec().tasks(2).timeLimitSeconds(1200L));
        long held = s.submit(CoreScenario.spec().hold("user"));
        Instant begin = s.clock.instant().plus(Duration.ofHours(2));
        long later = s.submit(CoreScenario.spec().beginTime(begin));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(running).state());
        List<JobRecord> before = List.copyOf(s.stored.values());

        assertEquals(big + "@+600[n1] " + after + "@+1200[n1] " + later + "@+7200[n1]", starts(s),
                "the held job has none; the one waiting for --begin is expected then, where it would run");
        assertEquals(starts(s), starts(s));
        assertEquals(before, List.copyOf(s.stored.values()), "asking changes nothing");
        assertEquals(0, s.schedule().changes().size(), "nor anything the next pass does");
        assertEquals(JobState.PENDING, s.job(held).state());

        s.clock.advance(Duration.ofSeconds(90));
        assertEquals(big + "@+510[n1] " + after + "@+1110[n1] " + later + "@+7110[n1]", starts(s),
                "the same times: steps (60 s) fall on whole minutes, not counted from now");
        s.clock.advance(Duration.ofSeconds(10));
        assertEquals(big + "@+500[n1] " + after + "@+1100[n1] " + later + "@+7100[n1]", starts(s));
    }

    /**
     * Half of a 4-core node busy for 600 s, then a job for the whole node (300 s), then a small one: jobs 2 and 3.
     */
    private static CoreScenario halfBusy(PlacementPolicy.Kind policy, int smallTasks, long smallLimit) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        s.submit(CoreScenario.spec().tasks(2).timeLimitSeconds(600L));
        s.submit(CoreScenario.spec().tasks(4).timeLimitSeconds(300L));
        s.submit(CoreScenario.spec().tasks(smallTasks).timeLimitSeconds(smallLimit));
        s.schedule();
        return s;
    }

    @Test
    void underFirstComeFirstServedNoJobIsExpectedBeforeOneAheadOfIt() {
        CoreScenario s = halfBusy(PlacementPolicy.Kind.FCFS, 1, 60);
        assertEquals("Priority", s.job(3).reason(), "it would fit now, but FCFS keeps it behind");
        assertEquals("2@+600[n1] 3@+600[n1]", starts(s));
    }

    @Test
    void backfillPlansAJobThatWouldDelayAnotherAfterIt() {
        CoreScenario s = halfBusy(PlacementPolicy.Kind.CONSERVATIVE, 2, 1200);
        assertEquals(JobState.PENDING, s.job(3).state(), "it would delay the big job");
        assertEquals("2@+600[n1] 3@+900[n1]", starts(s), "after the big job, not before");
    }

    @Test
    void aJobThatFitsNowhereWithinTheWindowOrBeyondTheDepthHasNoStart() {
        CoreScenario s = new CoreScenario(SchedulerSettings.defaults(Duration.ofSeconds(30))
                .withPolicy(PlacementPolicy.Kind.FCFS));
        s.node("n1", 2);
        s.submit(CoreScenario.spec().tasks(2).timeLimitSeconds(null));
        s.submit(CoreScenario.spec().tasks(1));
        s.submit(CoreScenario.spec().tasks(1));
        s.schedule();
        assertEquals("", starts(s), "a job without a limit holds its node past the window, and FCFS keeps the rest"
                + " behind the first");

        CoreScenario many = new CoreScenario(new SchedulerSettings(PlacementPolicy.Kind.EASY, 2,
                Duration.ofSeconds(60), Duration.ofDays(1), Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofMinutes(10), true));
        many.node("n1", 1);
        many.submit(CoreScenario.spec());
        List<Long> waiting = List.of(many.submit(CoreScenario.spec()), many.submit(CoreScenario.spec()),
                many.submit(CoreScenario.spec()));
        many.schedule();
        assertEquals(waiting.get(0) + "@+600[n1] " + waiting.get(1) + "@+1200[n1]", starts(many),
                "a depth of 2 plans two jobs");
    }

    private static String trial(CoreScenario s, JobSpec.Builder spec) {
        StartForecast.Trial t = s.core.forecast(spec.build());
        return t.start() == null ? t.reason() : t.start().jobId() + "@+" + Duration.between(s.clock.instant(),
                t.start().at()).toSeconds() + t.start().hosts();
    }

    @Test
    void aTrialJobIsPlannedBehindTheJobsOfItsPriorityAndStoresNothing() {
        CoreScenario s = halfBusy(PlacementPolicy.Kind.CONSERVATIVE, 2, 1200);
        List<JobRecord> before = List.copyOf(s.stored.values());
        String ahead = starts(s);
        assertEquals("4@+2100[n1]", trial(s, CoreScenario.spec().tasks(3).timeLimitSeconds(1200L)),
                "behind the big job and the small one, under the id the next job would get");
        assertEquals("4@+600[n1]", trial(s, CoreScenario.spec().tasks(3).timeLimitSeconds(1200L).nice(-100)),
                "a higher priority goes ahead of both waiting jobs, not of the running one");
        assertEquals("4@+0[n1]", trial(s, CoreScenario.spec().tasks(2).timeLimitSeconds(60L)),
                "a job that fits beside the rest, delaying none, backfills now");
        assertEquals(before, List.copyOf(s.stored.values()), "asking stores nothing");
        assertEquals(ahead, starts(s), "and moves no other job");
        assertEquals(0, s.schedule().changes().size());
        assertEquals(4, s.submit(CoreScenario.spec()), "nor takes the id it was shown under");
    }

    @Test
    void aTrialJobThatWouldWaitForAHoldADependencyOrBeyondTheWindowSaysSo() {
        CoreScenario s = halfBusy(PlacementPolicy.Kind.EASY, 1, 60);
        assertEquals("it would be held (user) until released", trial(s, CoreScenario.spec().hold("user")));
        assertEquals("it would wait for its dependency (afterok:1)", trial(s, CoreScenario.spec()
                .dependency("afterok:1")));
        Instant begin = s.clock.instant().plus(Duration.ofHours(3));
        StartForecast.Trial later = s.core.forecast(CoreScenario.spec().beginTime(begin).build());
        assertEquals(begin, later.start().at(), "a --begin job is expected then");
        assertEquals(List.of("n1"), later.start().hosts(), "on the node it would get then");

        CoreScenario deep = new CoreScenario(new SchedulerSettings(PlacementPolicy.Kind.EASY, 1,
                Duration.ofSeconds(60), Duration.ofDays(1), Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofMinutes(10), true));
        deep.node("n1", 1);
        deep.submit(CoreScenario.spec());
        deep.submit(CoreScenario.spec());
        deep.submit(CoreScenario.spec());
        deep.schedule();
        assertEquals("4@+1200[n1]", trial(deep, CoreScenario.spec()), "planned beyond the depth of 1, behind the"
                + " job the depth plans, the one beyond it left out");

        CoreScenario endless = new CoreScenario(PlacementPolicy.Kind.EASY);
        endless.node("n1", 2);
        endless.submit(CoreScenario.spec().tasks(2).timeLimitSeconds(null));
        endless.schedule();
        assertEquals("it would not start within the backfill window (1440 minutes) as things stand",
                trial(endless, CoreScenario.spec()), "a job without a limit holds the node past the window");
    }

    private static String startsWithCpus(CoreScenario s) {
        Instant now = s.clock.instant();
        return s.core.forecast().stream().map(f -> f.jobId() + "@+" + Duration.between(now, f.at()).toSeconds()
                + f.hosts() + f.cpus()).collect(Collectors.joining(" "));
    }

    @Test
    void aJobWaitingForItsBeginTimeIsPlannedThenOrOnceRoomIsFreeOnTheNodesItWouldGet() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.CONSERVATIVE);
        s.node("n1", 4);
        s.node("n2", 4);
        s.submit(CoreScenario.spec().tasks(4).timeLimitSeconds(3 * 3600L));
        s.submit(CoreScenario.spec().tasks(4).timeLimitSeconds(3600L));
        Instant now = s.clock.instant();
        long atTwo = s.submit(CoreScenario.spec().tasks(4).timeLimitSeconds(3600L).beginTime(now.plusSeconds(7200)));
        long busyThen = s.submit(CoreScenario.spec().tasks(4).timeLimitSeconds(3600L)
                .beginTime(now.plusSeconds(1800)));
        long beyond = s.submit(CoreScenario.spec().beginTime(now.plus(Duration.ofDays(2))));
        s.schedule();
        assertEquals("BeginTime", s.job(atTwo).reason());
        assertEquals(atTwo + "@+7200[n2]4 " + busyThen + "@+3600[n2]4 " + beyond + "@+172800[]null",
                startsWithCpus(s), "at its begin time where room is then; the one whose time comes while both nodes"
                + " are busy once n2 is free; the one beyond the window at its begin time, on nodes not named");

        assertEquals("6@+10800[n1]", trial(s, CoreScenario.spec().tasks(4).timeLimitSeconds(1800L)
                .beginTime(now.plusSeconds(1800))), "a trial with --begin: n2 is planned for the two jobs ahead of it,"
                + " n1 busy until its running job's limit");
        StartForecast.Trial far = s.core.forecast(CoreScenario.spec().beginTime(now.plus(Duration.ofDays(3))).build());
        assertEquals(new StartForecast.Start(6, now.plus(Duration.ofDays(3)), List.of(), null), far.start());
    }

    @Test
    void underFirstComeFirstServedAJobWaitingForItsBeginTimeKeepsNoLaterJobBehindIt() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
        s.node("n1", 4);
        s.submit(CoreScenario.spec().tasks(4).timeLimitSeconds(600L));
        long later = s.submit(CoreScenario.spec().tasks(4).timeLimitSeconds(600L)
                .beginTime(s.clock.instant().plusSeconds(7200)));
        long next = s.submit(CoreScenario.spec().tasks(4).timeLimitSeconds(600L));
        s.schedule();
        assertEquals(later + "@+7200[n1] " + next + "@+600[n1]", starts(s), "the next job may start before the"
                + " first one's time comes");
    }

    @Test
    void anExclusiveJobIsExpectedToUseItsNodesWholeCpuCount() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.CONSERVATIVE);
        s.node("n1", 8);
        s.node("n2", 8);
        s.submit(CoreScenario.spec().tasks(16).timeLimitSeconds(600L));
        long shared = s.submit(CoreScenario.spec().tasks(2).cpusPerTask(2).timeLimitSeconds(600L));
        long whole = s.submit(CoreScenario.spec().tasks(2).exclusive(true).timeLimitSeconds(600L));
        s.schedule();
        assertEquals(shared + "@+600[n1]4 " + whole + "@+600[n2]8", startsWithCpus(s),
                "the tasks' CPUs, or the whole node's for --exclusive");
        assertEquals(8, s.core.forecast(CoreScenario.spec().tasks(3).exclusive(true).build()).start().cpus());
        assertEquals(3, s.core.forecast(CoreScenario.spec().tasks(3).build()).start().cpus());
    }
}
