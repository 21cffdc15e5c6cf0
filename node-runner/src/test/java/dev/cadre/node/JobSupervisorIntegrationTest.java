package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A job's run under a {@link JobSupervisor}, with real processes, process groups and files: its environment and
 * output, how it ends (exit, signal, kill, time limit, requeue) and the warning before its limit. Repeats and
 * restarts are {@link JobSupervisorRestartIntegrationTest}'s.
 */
class JobSupervisorIntegrationTest extends SupervisedJobs {
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
    void aMissingWorkingDirectoryFailsTheLaunchWithAReason() throws Exception {
        JobSpec spec = place(12, "true", null).spec().toBuilder().workDir("/nonexistent/dir").build();
        supervisor().launch(new NodeCommand.PlaceJob(12, 1, spec, place(12, "true", null).allocation(), "t"));
        var failed = (RunnerEvent.RunnerFailed) events.get(0);
        assertTrue(failed.error().contains("/nonexistent/dir does not exist"), failed.error());
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
}
