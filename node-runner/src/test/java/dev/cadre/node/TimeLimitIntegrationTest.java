package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Time limits the head would have refused, as a node may still get them: beyond the protocol's maximum (4e18 s
 * overflowed the node's arithmetic once the job ran, so that its end was never reported), or below a second.
 */
class TimeLimitIntegrationTest extends NodeTestCase {
    private static final long HUGE = 4_000_000_000_000_000_000L;

    @Test
    void aJobWithALimitBeyondTheMaximumRunsUnderTheMaximumAndItsEndIsReported() throws Exception {
        JobSupervisor s = node.supervisor(JobLauncher.Setup.DEFAULT);
        s.launch(node.place(1, "echo $SBATCH_TIMELIMIT; exit 5", node.spec().timeLimitSeconds(HUGE)
                .warningSignal("USR1")));
        s.launch(node.place(2, "exit 6", node.spec().timeLimitSeconds(Long.MAX_VALUE)));
        RunnerEvent.RunnerFinished first = node.finished(1);
        assertEquals(5, first.exitCode());
        assertNull(first.killedFor());
        assertEquals(6, node.finished(2).exitCode());
        assertEquals(JobSpecValidator.MAX_TIME_LIMIT_SECONDS / 60 + "\n",
                Files.readString(work.resolve("slurm-1.out")));
    }

    @Test
    void anAdoptedJobWithALimitBeyondTheMaximumIsWatchedAndItsEndReported() throws Exception {
        JobSupervisor before = node.supervisor(JobLauncher.Setup.DEFAULT);
        before.launch(node.place(3, node.untilReleased() + "exit 7", node.spec().timeLimitSeconds(3600L)));
        node.wrapperPid(3);
        before.close();
        // As a runner that took the limit as it came would have left the attempt.
        Files.writeString(state.resolve("jobs/3-1/" + AttemptDirectory.PLACE), MessageCodec.encode(
                node.place(3, node.untilReleased() + "exit 7", node.spec().timeLimitSeconds(HUGE))));
        JobSupervisor after = node.supervisor(JobLauncher.Setup.DEFAULT);
        after.adoptLeftovers(adopted -> { });
        node.release();
        assertEquals(7, node.finished(3).exitCode());
    }

    @Test
    void aLimitBelowASecondIsASecond() throws Exception {
        Instant launched = Instant.now();
        node.supervisor(JobLauncher.Setup.DEFAULT).launch(node.place(4, node.untilReleased(), node.spec()
                .timeLimitSeconds(0L)));
        RunnerEvent.RunnerFinished f = node.finished(4);
        assertEquals(JobState.TIMEOUT, f.killedFor());
        // A limit of 0 was already due at once before the clamp; a second is what the clamp gives.
        assertTrue(!f.time().isBefore(launched.plusSeconds(1)), "killed " + Duration.between(launched, f.time()));
    }
}
