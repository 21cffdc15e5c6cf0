package dev.cadre.cli;

import dev.cadre.cli.slurm.ScontrolJobWait;
import dev.cadre.cli.slurm.SlurmJobId;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * scontrol wait_job JOBID: asks the head for the job's state until it runs or has ended, while a pending job waits up
 * to the client's patience, pausing a little longer between questions each time (at most {@link #LONGEST_PAUSE}). A
 * head that does not answer is asked again until then too, as scontrol retries slurmctld.
 */
final class ScontrolWaitJob {
    static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);
    private final PrintStream err;
    private final String config;
    private final Duration patience;
    private final Patience.Time time;

    ScontrolWaitJob(PrintStream err, String config, Duration patience, Patience.Time time) {
        this.err = err;
        this.config = config;
        this.patience = patience;
        this.time = time;
    }

    /** @param keyword the word as typed ("wait"), as scontrol names it in its complaints */
    int run(String keyword, List<String> args) throws RestClient.ClientException, InterruptedException {
        if (args.size() != 1) {
            err.println("too " + (args.isEmpty() ? "few" : "many") + " arguments for keyword:" + keyword);
            return 1;
        }
        Optional<SlurmJobId> target = ScontrolJobWait.target(args.get(0));
        if (target.isEmpty()) {
            err.println("Invalid job_id " + args.get(0));
            return 1;
        }
        SlurmJobId id = target.get();
        RestClient rest = RestClient.fromConfig(config);
        Instant deadline = time.now().plus(patience);
        Duration pause = FIRST_PAUSE;
        while (true) {
            ScontrolJobWait.Outcome outcome;
            try {
                outcome = ScontrolJobWait.of(rest.get("/api/jobs/" + id).path("state").asText());
            } catch (RestClient.ClientException e) {
                if (e.status == 404) {
                    err.println("scontrol: " + ScontrolJobWait.said(ScontrolJobWait.Outcome.WAITING, id));
                    // slurmctld's answer, ESLURM_INVALID_JOB_ID, in its words.
                    err.println("scontrol: error: Invalid job id specified");
                    return 1;
                }
                if (e.answer == RestClient.Answer.GIVEN || e.answer == RestClient.Answer.WRONG_TLS
                        || !time.now().isBefore(deadline)) {
                    throw e;
                }
                outcome = ScontrolJobWait.Outcome.WAITING;
            }
            if (outcome != ScontrolJobWait.Outcome.WAITING) {
                err.println("scontrol: " + ScontrolJobWait.said(outcome, id));
                return outcome == ScontrolJobWait.Outcome.READY ? 0 : 1;
            }
            if (!time.now().isBefore(deadline)) {
                err.println("scontrol: " + ScontrolJobWait.said(outcome, id));
                err.println("scontrol: error: job " + id + " was still pending after " + patience.toSeconds() + " s");
                return 1;
            }
            Duration left = Duration.between(time.now(), deadline);
            time.sleep(left.compareTo(pause) < 0 ? left : pause);
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }
}
