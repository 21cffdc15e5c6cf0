package dev.cadre.cli;

import dev.cadre.cli.slurm.SbatchWait;
import java.io.PrintStream;
import java.time.Duration;

/**
 * sbatch --wait: looks at the job, more rarely as it runs on, until it and every task of it have ended, then
 * answers the exit code {@link SbatchWait} gives. While the head cannot be reached (a restart) it says so once
 * and keeps looking, as Slurm's sbatch does; the wait ends with the job, or with the job no longer known.
 */
final class JobEndWait {
    private final RestClient rest;
    private final PrintStream err;

    JobEndWait(RestClient rest, PrintStream err) {
        this.rest = rest;
        this.err = err;
    }

    int await(long id) throws InterruptedException {
        Duration poll = SbatchWait.FIRST_POLL;
        boolean saidUnreachable = false;
        while (true) {
            Thread.sleep(poll.toMillis());
            try {
                if (rest.get("/api/jobs?limit=1&state=" + SbatchWait.NOT_ENDED + "&id=" + id).isEmpty()) {
                    return SbatchWait.exitCode(rest.jobs("&id=" + id));
                }
                saidUnreachable = false;
            } catch (RestClient.ClientException e) {
                if (e.status == 404) {
                    err.println("sbatch: error: Job " + id + " no longer found and exit code not found");
                    return 1;
                }
                if (e.status != 0 && e.status < 500 || e.answer == RestClient.Answer.WRONG_TLS) {
                    err.println("sbatch: error: " + e.getMessage());
                    return 1;
                }
                if (!saidUnreachable) {
                    err.println("sbatch: error: Currently unable to load job state information, retrying: "
                            + e.getMessage());
                    saidUnreachable = true;
                }
            }
            poll = SbatchWait.nextPoll(poll);
        }
    }
}
