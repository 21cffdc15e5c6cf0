package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes, real process groups, real files. */
class JobSupervisorIntegrationTest {
    @TempDir
    Path state;
    @TempDir
    Path work;
    private final List<RunnerEvent> events = new CopyOnWriteArrayList<>();
    private JobSupervisor supervisor;

    private JobSupervisor supervisor() throws Exception {
        supervisor = new JobSupervisor(state, "n1", Duration.ofSeconds(2), "test", events::add, Clock.systemUTC());
        return supervisor;
    }

    @AfterEach
    void tearDown() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    private NodeCommand.PlaceJob place(long id, String body, Long limit) {
        JobSpec spec = JobSpec.builder().name("t" + id).user("alice").script("#!/bin/bash\n" + body + "\n")
                .workDir(work.toString()).environment(Map.of("GREETING", "hello")).timeLimitSeconds(limit)
                .submitHost("submit-host").build();
        return new NodeCommand.PlaceJob(id, 1, spec,
                new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0, 0))), "tok");
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, timeout, condition);
    }

    /** @param what said when the wait times out, as things then stand */
    static void await(Supplier<String> what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        Await.until(what, timeout, condition);
    }

    private RunnerEvent.RunnerFinished finished(long id) throws InterruptedException {
        return finished(events, id, Duration.ofSeconds(20));
    }

    /** Waits for job {@code id}'s runner-finished among the events a supervisor reported. */
    static RunnerEvent.RunnerFinished finished(List<RunnerEvent> events, long id, Duration timeout)
            throws InterruptedException {
        await("job " + id + " to finish", timeout, () -> events.stream()
                .anyMatch(e -> e instanceof RunnerEvent.RunnerFinished f && f.jobId() == id));
        return events.stream().filter(e -> e instanceof RunnerEvent.RunnerFinished f && f.jobId() == id)
                .map(RunnerEvent.RunnerFinished.class::cast).findFirst().orElseThrow();
    }

    @Test
    void runsTheScriptWithSlurmEnvironmentAndWritesSlurmOut() throws Exception {
        supervisor().launch(place(7, "echo $GREETING $SLURM_JOB_ID $SLURM_JOB_NAME $SLURM_NTASKS"
                + " $SLURM_JOB_NODELIST $SLURM_SUBMIT_HOST; echo err >&2; exit 3", null));
        RunnerEvent.RunnerFinished f = finished(7);
        assertEquals(3, f.exitCode());
        assertEquals(0, f.signal());
        assertNull(f.killedFor());
        assertTrue(events.get(0) instanceof RunnerEvent.RunnerRunning);
        assertEquals("hello 7 t7 1 host1 submit-host\nerr\n", Files.readString(work.resolve("slurm-7.out")));
        // Reported first, then forgotten: the attempt leaves the running list and its directory just after.
        await("the attempt to be forgotten", Duration.ofSeconds(10),
                () -> supervisor.running().isEmpty() && !Files.exists(state.resolve("jobs/7-1")));
    }

    @Test
    void reportsTheSignalThatKilledTheScript() throws Exception {
        supervisor().launch(place(8, "kill -SEGV $$", null));
        RunnerEvent.RunnerFinished f = finished(8);
        assertEquals(0, f.exitCode());
        assertEquals(11, f.signal());
    }

    @Test
    void timeLimitKillsTheWholeProcessGroup() throws Exception {
        Path pidFile = work.resolve("child.pid");
        supervisor().launch(place(9, "sleep 300 & echo $! > " + pidFile + "; wait", 1L));
        RunnerEvent.RunnerFinished f = finished(9);
        assertEquals(JobState.TIMEOUT, f.killedFor());
        long child = Long.parseLong(Files.readString(pidFile).trim());
        // Ended, a zombie counting as ended: the killed child may wait a moment for its reaper, under an init that
        // reaps no orphan for ever, while ProcessHandle counts a zombie as alive.
        assertTrue(CgroupTrackingIntegrationTest.gone(child), "background child survived");
    }

    @Test
    void whatAJobLeftInItsSessionIsEndedBeforeItsEndIsReported() throws Exception {
        Path pidFile = work.resolve("own-group.pid");
        // The child leaves the job's process group, as mpirun's ranks do, but not its session.
        supervisor().launch(place(11, "perl -e 'setpgrp(0, 0); sleep 300' & echo $! > " + pidFile + "\nexit 0",
                null));
        RunnerEvent.RunnerFinished f = finished(11);
        assertEquals(0, f.exitCode());
        long child = Long.parseLong(Files.readString(pidFile).trim());
        assertTrue(CgroupTrackingIntegrationTest.gone(child), "still running after the job's end was reported");
    }

    @Test
    void killEscalatesToSigkillForAScriptThatIgnoresSigterm() throws Exception {
        supervisor().launch(place(10, "trap '' TERM; echo ready; while true; do sleep 0.1; done", null));
        await("job 10 to start", Duration.ofSeconds(10), () -> Files.exists(work.resolve("slurm-10.out"))
                && readQuietly(work.resolve("slurm-10.out")).contains("ready"));
        supervisor.kill(new NodeCommand.KillJob(10, 1, JobState.CANCELLED));
        RunnerEvent.RunnerFinished f = finished(10);
        assertEquals(JobState.CANCELLED, f.killedFor());
        assertEquals(9, f.signal());
    }

    @Test
    void aRepeatedPlaceJobRunsNothingTwice() throws Exception {
        NodeCommand.PlaceJob p = place(11, "echo once >> " + work.resolve("count"), null);
        supervisor().launch(p);
        supervisor.launch(p);
        finished(11);
        assertEquals("once\n", Files.readString(work.resolve("count")));
    }

    @Test
    void aPlaceJobRepeatedAfterTheAttemptEndedReportsItsOutcomeAgainAndRunsNothing() throws Exception {
        NodeCommand.PlaceJob p = place(12, "echo once >> " + work.resolve("count12") + "; exit 4", null);
        supervisor().launch(p);
        RunnerEvent.RunnerFinished first = finished(12);
        await("the attempt directory to go", Duration.ofSeconds(10),
                () -> !Files.exists(AttemptDirectory.of(state.resolve("jobs"), 12, 1)));
        events.clear();
        // As after a scheduler crash that never read the node's events; also across a node-runner restart.
        supervisor.close();
        supervisor = new JobSupervisor(state, "n1", Duration.ofSeconds(2), "test", events::add, Clock.systemUTC());
        supervisor.launch(p);
        assertEquals(List.of(first), events);
        assertEquals("once\n", Files.readString(work.resolve("count12")));
    }

    @Test
    void aRepeatThatMissedTheOutcomeOnlyByTheEndsTimingStillRunsNothing() throws Exception {
        // The first copy's end records its outcome and removes its directory between this copy's lookup and the
        // making of its directory (review 79: a job ran twice after a head's SIGKILL).
        NodeCommand.PlaceJob p = place(13, "echo ran >> " + work.resolve("count13"), null);
        RunnerEvent.RunnerFinished firstEnd = new RunnerEvent.RunnerFinished(13, 1, "n1", 4, 0, null, Instant.now(),
                null);
        supervisor().afterOutcomeLookup = () -> {
            try (EndedAttempts other = new EndedAttempts(state)) {
                other.record(13, 1, firstEnd);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        supervisor.launch(p);
        assertEquals(List.of(firstEnd), events, "the recorded end, reported again, and no start");
        assertFalse(Files.exists(work.resolve("count13")), "the job did not run");
        assertFalse(Files.exists(AttemptDirectory.of(state.resolve("jobs"), 13, 1)), "no directory left");
    }

    @Test
    void aMissingWorkingDirectoryFailsTheLaunchWithAReason() throws Exception {
        JobSpec spec = place(12, "true", null).spec().toBuilder().workDir("/nonexistent/dir").build();
        supervisor().launch(new NodeCommand.PlaceJob(12, 1, spec, place(12, "true", null).allocation(), "t"));
        var failed = (RunnerEvent.RunnerFailed) events.get(0);
        assertTrue(failed.error().contains("/nonexistent/dir does not exist"), failed.error());
    }

    @Test
    void aRestartedSupervisorFindsItsRunningJobAndItsExitStatus() throws Exception {
        Path go = work.resolve("go");
        supervisor().launch(place(13, "while [ ! -f " + go + " ]; do sleep 0.05; done; exit 4", null));
        await("job 13 to start", Duration.ofSeconds(10), () -> !supervisor.running().isEmpty());
        // Simulate the node-runner dying: drop the supervisor without telling the job.
        supervisor.close();
        events.clear();
        JobSupervisor second = supervisor();
        second.adoptLeftovers(adopted -> { });
        assertEquals(List.of(new RunnerEvent.RunningAttempt(13, 1)), second.running());
        Files.writeString(go, "");
        assertEquals(4, finished(13).exitCode());
    }

    @Test
    void anAttemptTheRunnerDiedBeforeStartingIsStartedOnceOnAdoption() throws Exception {
        Path count = work.resolve("count15");
        JobSupervisor restarted = supervisor();
        // As if the runner died after creating the attempt directory, before starting the wrapper.
        AttemptDirectory.create(state.resolve("jobs"), place(15, "echo once >> " + count, null));
        restarted.adoptLeftovers(adopted -> { });
        assertEquals(0, finished(15).exitCode());
        assertEquals("once\n", Files.readString(count));
        assertTrue(events.get(0) instanceof RunnerEvent.RunnerRunning, events.toString());
    }

    @Test
    void anAttemptDirectoryLeftHalfCreatedIsRemovedSoThePlaceJobRunsWhenItComesAgain() throws Exception {
        // As if the runner was killed between creating the directory and writing its place-job.
        Files.createDirectories(state.resolve("jobs/21-1"));
        Files.writeString(state.resolve("jobs/21-1/place.json"), "{\"type\":\"place-jo");
        Files.createDirectories(state.resolve("jobs/22-1"));
        supervisor().adoptLeftovers(adopted -> { });
        assertEquals(List.of(), supervisor.running());
        supervisor.launch(place(21, "exit 21", null));
        supervisor.launch(place(22, "exit 22", null));
        assertEquals(21, finished(21).exitCode());
        assertEquals(22, finished(22).exitCode());
    }

    @Test
    void aRestartedSupervisorFindsAStartedAttemptThroughItsWrappersClaim() throws Exception {
        Path go = work.resolve("go16");
        Path count = work.resolve("count16");
        supervisor().launch(place(16, "echo once >> " + count + "; while [ ! -f " + go + " ]; do sleep 0.05; done",
                null));
        await("the wrapper to claim the attempt", Duration.ofSeconds(10),
                () -> Files.exists(state.resolve("jobs/16-1/claim")));
        supervisor.close();
        assertFalse(Files.exists(state.resolve("jobs/16-1/pid")), "the claim alone records the wrapper's pid");
        events.clear();
        JobSupervisor second = supervisor();
        second.adoptLeftovers(adopted -> { });
        assertEquals(List.of(new RunnerEvent.RunningAttempt(16, 1)), second.running());
        Files.writeString(go, "");
        assertEquals(0, finished(16).exitCode());
        assertEquals("once\n", Files.readString(count));
    }

    @Test
    void aJobThatEndedWhileTheRunnerWasDownIsReportedFromItsStatusFile() throws Exception {
        // The job ends only once the supervisor is closed: ended before, the supervisor would report it itself.
        Path go = work.resolve("go14");
        supervisor().launch(place(14, "while [ ! -f " + go + " ]; do sleep 0.05; done; exit 6", null));
        // A launch that failed reports so at once; said here, it is not mistaken below for a wrapper that hangs.
        assertTrue(events.size() == 1 && events.get(0) instanceof RunnerEvent.RunnerRunning, events::toString);
        supervisor.close();
        Files.writeString(go, "");
        Path dir = state.resolve("jobs/14-1");
        await(() -> "the wrapper to record the status; the attempt directory holds " + listing(dir)
                + ", and the launcher's log says: " + readQuietly(state.resolve("launcher.log")),
                Duration.ofSeconds(10), () -> Files.exists(dir.resolve("status")));
        assertTrue(events.stream().noneMatch(e -> e instanceof RunnerEvent.RunnerFinished),
                "a closed supervisor reports nothing");
        supervisor().adoptLeftovers(adopted -> { });
        assertEquals(6, finished(14).exitCode());
    }

    @Test
    void aRequeueKillEndsTheAttemptLikeAnyOtherKillAndSaysWhy() throws Exception {
        supervisor().launch(place(17, "echo ready; while true; do sleep 0.1; done", null));
        await("job 17 to start", Duration.ofSeconds(10), () -> readQuietly(work.resolve("slurm-17.out"))
                .contains("ready"));
        supervisor.kill(new NodeCommand.KillJob(17, 1, JobState.REQUEUED));
        RunnerEvent.RunnerFinished f = finished(17);
        assertEquals(JobState.REQUEUED, f.killedFor());
        assertEquals(15, f.signal());
    }

    /**
     * A job of limit 4 s asking for {@code signal} 2 s before it. Both the script and a background subshell trap
     * USR1, each writing its marker (the script's with the time in ms), then run on until the limit.
     */
    private NodeCommand.PlaceJob warnedJob(long id, String signal, Boolean batchOnly) {
        Path script = work.resolve(id + ".script-warned");
        Path child = work.resolve(id + ".child-warned");
        String body = "( trap 'touch " + child + "' USR1; while true; do sleep 0.1; done ) &\n"
                + "trap 'echo $(( $(date +%s%N) / 1000000 )) > " + script + ".tmp; mv " + script + ".tmp " + script
                + "' USR1\nwhile true; do sleep 0.1; done";
        NodeCommand.PlaceJob p = place(id, body, 4L);
        JobSpec spec = p.spec().toBuilder().warningSignal(signal).warningSeconds(2).warningBatchOnly(batchOnly)
                .build();
        return new NodeCommand.PlaceJob(id, 1, spec, p.allocation(), p.execToken());
    }

    /** Waits for the script's warning and checks it came after the first second and before the limit. */
    private void awaitWarning(long id, Instant launched) throws Exception {
        Path marker = work.resolve(id + ".script-warned");
        await("the script's warning", Duration.ofSeconds(10), () -> Files.exists(marker));
        Instant warned = Instant.ofEpochMilli(Long.parseLong(Files.readString(marker).trim()));
        long after = Duration.between(launched, warned).toMillis();
        assertTrue(after >= 1_000 && after < 4_000, "warned " + after + " ms after the launch; due at 2,000");
    }

    @Test
    void theWarningReachesEveryProcessOfTheJobBeforeItsLimitWhichStillEndsIt() throws Exception {
        Instant launched = Instant.now();
        supervisor().launch(warnedJob(18, "USR1", null));
        awaitWarning(18, launched);
        await("the background child's warning", Duration.ofSeconds(10),
                () -> Files.exists(work.resolve("18.child-warned")));
        // The wrapper did not get it: the job was not cut short but ran on to its limit.
        assertEquals(JobState.TIMEOUT, finished(18).killedFor());
    }

    @Test
    void aBatchOnlyWarningReachesTheScriptButNotItsChildren() throws Exception {
        Instant launched = Instant.now();
        supervisor().launch(warnedJob(19, "SIGUSR1", true));
        awaitWarning(19, launched);
        assertEquals(JobState.TIMEOUT, finished(19).killedFor());
        // The child had until the limit's SIGTERM, about 2 s after the script's warning, to show it got one.
        assertFalse(Files.exists(work.resolve("19.child-warned")), "the script's child got the warning too");
    }

    @Test
    void aRestartedSupervisorSendsTheWarningOfAJobItAdopts() throws Exception {
        Instant launched = Instant.now();
        supervisor().launch(warnedJob(20, "10", null));
        await("job 20 to start", Duration.ofSeconds(10), () -> !supervisor.running().isEmpty());
        supervisor.close();
        supervisor().adoptLeftovers(adopted -> { });
        awaitWarning(20, launched);
        assertEquals(JobState.TIMEOUT, finished(20).killedFor());
    }

    /** The names in {@code dir} with each file's content, for a failure's message. */
    private static String listing(Path dir) {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName() + (Files.isRegularFile(f) ? "=" + readQuietly(f).strip() : ""))
                    .sorted().toList().toString();
        } catch (java.io.IOException e) {
            return "nothing readable (" + e + ")";
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
