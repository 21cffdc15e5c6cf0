package dev.cadre.node.core;

import java.util.Optional;

/**
 * scontrol suspend and resume of an attempt's remote commands on a node (the processes an mpirun or srun of the job
 * started there through Cadre), as a node keeps them across its runner's restarts: each suspended attempt is marked
 * by a file {@code JOB-ATTEMPT.suspended} beside the commands' records, written before the commands are stopped and
 * removed only after they are continued, so that a runner killed at any point leaves the next one a mark wherever a
 * command may still be stopped. Pure.
 */
public final class CommandSuspension {
    public static final String SUFFIX = ".suspended";

    /** What a suspend-attempt or resume-attempt does to the attempt's commands here. */
    public enum Step {
        /** Mark the attempt suspended, then stop its commands. */
        MARK_THEN_STOP,
        /**
         * Stop them again, the mark kept: a suspend redelivered after a runner died between its mark and its signals,
         * or sent again by a restarted head. SIGSTOP to a stopped process changes nothing.
         */
        STOP_AGAIN,
        /** Continue them, then remove the mark: a runner killed in between continues them again at the redelivery. */
        CONTINUE_THEN_UNMARK,
        /**
         * Nothing: a resume of an attempt not suspended here, which must not continue what the job stopped itself
         * (a {@code kill -STOP} of its own, a shell's job control).
         */
        NOTHING
    }

    private CommandSuspension() {
    }

    /**
     * @param stop true for a suspend, false for a resume
     * @param marked whether the attempt's commands are marked suspended here
     */
    public static Step step(boolean stop, boolean marked) {
        if (stop) {
            return marked ? Step.STOP_AGAIN : Step.MARK_THEN_STOP;
        }
        return marked ? Step.CONTINUE_THEN_UNMARK : Step.NOTHING;
    }

    /** The mark's file name. */
    public static String fileName(long jobId, int attempt) {
        return new ProcessTracking.GroupName(jobId, attempt, ProcessTracking.GroupName.NONE).text() + SUFFIX;
    }

    /** The attempt a mark's file name names; empty for any other name (no mark: left alone). */
    public static Optional<ProcessTracking.GroupName> parse(String fileName) {
        if (!fileName.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        return ProcessTracking.GroupName.parse(fileName.substring(0, fileName.length() - SUFFIX.length()))
                .filter(n -> !n.isExec() && n.jobId() >= 0 && n.attempt() >= 0);
    }
}
