package dev.cadre.cli.slurm;

import java.util.Optional;

/**
 * What {@code scontrol wait_job JOBID} decides. Slurm's waits until the job's nodes have booted (power saving); a
 * Cadre node is up or it is not, so wait_job waits while the job is pending (held, or waiting for nodes) and answers
 * once it runs or has ended, with the lines Slurm's _wait_nodes_ready prints.
 */
public final class ScontrolJobWait {
    /** Where the job stands for wait_job. */
    public enum Outcome {
        /** Running: its nodes are ready. */
        READY,
        /** Not yet started: wait and ask again. */
        WAITING,
        /** Ended (or ending): it will not run. */
        ENDED
    }

    private ScontrolJobWait() {
    }

    /**
     * The job wait_job names: "12" or a task "12_3"; anything else as scontrol reads it with atoi ("12abc" is job 12).
     *
     * @return empty when that gives no job id above 0: scontrol's "Invalid job_id TEXT"
     */
    public static Optional<SlurmJobId> target(String text) {
        Optional<SlurmJobId> id = SlurmJobId.parse(text);
        if (id.isPresent()) {
            return id;
        }
        String digits = text.stripLeading().replaceFirst("^\\+", "").replaceFirst("^(\\d{1,18}).*$", "$1");
        return digits.isEmpty() || !Character.isDigit(digits.charAt(0)) ? Optional.empty()
                : SlurmJobId.parse(digits);
    }

    /** @param state the job's state as the REST API gives it */
    public static Outcome of(String state) {
        return switch (state) {
            case "RUNNING" -> Outcome.READY;
            case "PENDING", "REQUEUED" -> Outcome.WAITING;
            // COMPLETING too: slurmctld reports nodes ready for running jobs alone.
            default -> Outcome.ENDED;
        };
    }

    /** What scontrol says on stderr, after "scontrol: ", once it stops waiting. */
    public static String said(Outcome outcome, SlurmJobId id) {
        return switch (outcome) {
            case READY -> "Nodes are ready for job " + id;
            case ENDED -> "Job " + id + " no longer running";
            default -> "Problem running job " + id;
        };
    }
}
