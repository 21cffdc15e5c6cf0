package dev.cadre.cli;

import dev.cadre.cli.slurm.ScontrolNodeDelete;
import dev.cadre.cli.slurm.SlurmUsageException;
import java.io.PrintStream;
import java.time.Duration;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * scontrol delete NodeName=NODES over the REST API (DELETE /api/nodes/{id}): the head forgets each DOWN node named,
 * for an operator ({@link SlurmOperator}) only, as only an administrator may in Slurm. Each node is tried; a refusal
 * (an UP node, one still holding a job) is said on stderr and makes the exit code 1.
 */
final class ScontrolDelete {
    private final PrintStream err;
    private final String config;
    private final Duration patience;

    /** @param patience how long a change the head leaves unanswered is sent again ({@link PatientControl}) */
    ScontrolDelete(PrintStream err, String config, Duration patience) {
        this.err = err;
        this.config = config;
        this.patience = patience;
    }

    /** @param root the caller is an operator */
    int run(List<String> args, boolean root) throws RestClient.ClientException {
        ScontrolNodeDelete delete;
        try {
            delete = ScontrolNodeDelete.parse(args);
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return 1;
        }
        if (!root) {
            err.println("delete_node error: Access/permission denied (only root or the head's owner may delete a"
                    + " node)");
            return 1;
        }
        String user = URLEncoder.encode(System.getProperty("user.name"), StandardCharsets.UTF_8);
        PatientControl rest = PatientControl.over(RestClient.fromConfig(config), err, "scontrol", patience);
        int rc = 0;
        for (String node : delete.nodes()) {
            try {
                rest.delete("/api/nodes/" + node + "?user=" + user);
            } catch (RestClient.ClientException e) {
                if (e.status == 0 && e.answer != RestClient.Answer.NONE) {
                    throw e;
                }
                err.println(e.status == 404 ? "delete_node error: Invalid node name specified (" + node + ")"
                        : "delete_node error: " + e.getMessage()
                        + (e.getMessage().contains(node) ? "" : " for node " + node)
                        + e.mayStillBeCarriedOut("'scontrol show node " + node + "' or sinfo"));
                rc = 1;
            }
        }
        return rc;
    }
}
