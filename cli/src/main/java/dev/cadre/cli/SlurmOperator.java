package dev.cadre.cli;

import dev.cadre.cli.slurm.SlurmUsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

/**
 * Who Slurm's commands treat as an operator: root, or the head's owner (who owns the client file the head wrote).
 * As in Slurm, only an operator may drain a node, hold a job as an administrator, give a job a priority of its
 * own or a negative nice, raise a job's time limit or set its deadline. The REST API trusts whoever holds its token
 * (docs/operations.md, "Who may do what"), so this is not a security boundary: it spares a user a request Slurm
 * would refuse, and keeps scripts honest.
 */
final class SlurmOperator {
    private SlurmOperator() {
    }

    static boolean is(String user, String config) {
        return "root".equals(user) || user.equals(headOwner(config));
    }

    /**
     * Refuses, in Slurm's words, what only an operator may ask of a job.
     *
     * @param failure Slurm's first words for the command ("Batch job submission failed", "slurm_update error")
     */
    static void checkJobSettings(boolean operator, Long priority, Integer nice, String failure)
            throws SlurmUsageException {
        if (operator) {
            return;
        }
        if (priority != null) {
            throw new SlurmUsageException(List.of(failure + ": Access/permission denied",
                    "only root or the head's owner may set a job's priority; a user may lower it with a positive"
                            + " nice"));
        }
        if (nice != null && nice < 0) {
            throw new SlurmUsageException(List.of(failure + ": Access/permission denied",
                    "only root or the head's owner may give a negative nice (" + nice + ")"));
        }
    }

    /**
     * Refuses a user's new deadline, as slurmctld refuses it to anyone but an operator (Access/permission denied),
     * a nearer one too.
     */
    static void checkDeadline(boolean operator, Instant deadline, String failure) throws SlurmUsageException {
        if (!operator && deadline != null) {
            throw new SlurmUsageException(List.of(failure + ": Access/permission denied",
                    "only root or the head's owner may set a job's deadline"));
        }
    }

    /**
     * Refuses a user's raise of a job's time limit, in Slurm's words: as in Slurm, only an operator may raise it, and
     * a user may lower it. A job without a limit has none to raise. An update naming an array is judged for each of
     * its records (each running task, and its pending tasks), whose limits may differ: a raise of any is refused.
     *
     * @param current one job record's limit in seconds, null when it has none
     * @param requested what the update would make that record's limit
     */
    static void checkTimeLimit(boolean operator, Long current, long requested, String failure)
            throws SlurmUsageException {
        if (!operator && current != null && requested > current) {
            throw new SlurmUsageException(List.of(failure + ": Access/permission denied",
                    "only root or the head's owner may raise a job's time limit (" + current + " s to " + requested
                            + " s); a user may lower it"));
        }
    }

    /** The owner of the client file, or null when it cannot be told. */
    private static String headOwner(String config) {
        try {
            return Files.getOwner(RestClient.clientFile(config, System.getenv())).getName();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }
}
