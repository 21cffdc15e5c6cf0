package dev.cadre.cli;

import dev.cadre.cli.slurm.ExpectedStart;
import dev.cadre.cli.slurm.SlurmTime;
import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobSpec;
import java.io.PrintStream;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * sbatch and srun --test-only: asks the head when and where the job would start were it submitted now (POST
 * /api/jobs/starts, protocol.md 5.9), submitting nothing, and says so in Slurm's words on standard error:
 * {@code sbatch: Job 12 to start at 2026-11-24T16:06:00 using 2 processors on nodes n1 in partition batch}, the
 * processors being those the head would give it (an exclusive job's nodes' whole count). A job with no start, one the
 * head refuses, or a question the head cannot answer for now (503: too many forecasts waiting, the scheduler
 * stopping) is an allocation failure (exit 1), as slurm_job_will_run's is.
 */
final class JobTrial {
    private JobTrial() {
    }

    /** @param program the command's name, which starts its lines ("sbatch", "srun") */
    static int ask(RestClient rest, JobSpec spec, PrintStream err, ZoneId zone, String program)
            throws RestClient.ClientException {
        Json answer;
        try {
            answer = rest.post("/api/jobs/starts", Map.of("spec", spec));
        } catch (RestClient.ClientException e) {
            if (e.status == ExpectedStarts.NOT_FOR_NOW) {
                // EAGAIN's words, as a busy slurmctld's answer reads; then the head's reason, naming the refusal.
                err.println("allocation failure: Resource temporarily unavailable");
                err.println(program + ": error: " + e.getMessage());
                return 1;
            }
            if (e.status != 400) {
                throw e;
            }
            // slurm_perror's line, unprefixed, then Cadre's reason where Slurm has words of its own.
            List<String> lines = SubmissionRefusal.lines("allocation failure", e);
            err.println(lines.get(0));
            lines.subList(1, lines.size()).forEach(line -> err.println(program + ": error: " + line));
            return 1;
        }
        Json start = answer.path("starts").path(0);
        if (!start.has("start")) {
            err.println("allocation failure: " + answer.path("notPlanned").asText("the head plans no start for it"));
            return 1;
        }
        ExpectedStart expected = ExpectedStarts.of(start);
        // A job held back until a --begin beyond what the head plans: no nodes named.
        String on = expected.hosts() == null ? "" : " on nodes " + expected.hosts();
        // The head says what it would give; a head before it said so, what the job asks.
        long cpus = start.hasNonNull("cpus") ? start.path("cpus").asLong()
                : (long) spec.taskCount() * spec.cpusPerTaskOrOne();
        err.println(program + ": Job " + start.path("jobId").asLong() + " to start at "
                + SlurmTime.formatDate(expected.start(), zone) + " using " + cpus + " processors" + on
                + " in partition batch");
        return 0;
    }
}
