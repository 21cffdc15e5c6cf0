package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobState;
import java.time.Duration;

/**
 * What {@code sbatch --wait} exits with once its job has ended, judged from the job's records as
 * {@code GET /api/jobs?id=N} lists them (an array: every task): each record's by {@link JobEnd}'s rule, which srun
 * shares, and an array the highest of its tasks'. Slurm gives 0 for a job cancelled before it started (its exit
 * code was never set); here every job that did not complete gives at least 1, so that a script's
 * {@code sbatch --wait ... && next} never goes on after a job that did not run.
 */
public final class SbatchWait {
    /** States a job or task still has to leave before sbatch may exit, as the REST API's state filter takes them. */
    public static final String NOT_ENDED = notEnded();
    /** The first look comes soon, for a short job; later ones thin out to {@link #LONGEST_POLL}. */
    public static final Duration FIRST_POLL = Duration.ofMillis(100);
    public static final Duration LONGEST_POLL = Duration.ofSeconds(2);

    private SbatchWait() {
    }

    private static String notEnded() {
        StringBuilder states = new StringBuilder();
        for (JobState s : JobState.values()) {
            if (!s.isTerminal()) {
                states.append(states.length() == 0 ? "" : ",").append(s.name());
            }
        }
        return states.toString();
    }

    /** The next wait between looks: twice the last, at most {@link #LONGEST_POLL}. */
    public static Duration nextPoll(Duration last) {
        Duration doubled = last.multipliedBy(2);
        return doubled.compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : doubled;
    }

    /** The exit code of records that have all ended, the highest of them; 0 for none. */
    public static int exitCode(Iterable<Json> records) {
        int worst = 0;
        for (Json j : records) {
            worst = Math.max(worst, exitCode(j));
        }
        return worst;
    }

    static int exitCode(Json record) {
        return JobEnd.of(record).sbatchExit();
    }
}
