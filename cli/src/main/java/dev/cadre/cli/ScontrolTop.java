package dev.cadre.cli;

import dev.cadre.cli.slurm.ScontrolTopIds;
import dev.cadre.cli.slurm.SlurmJobId;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * scontrol top JOBID[,JOBID...] over the REST API (POST /api/jobs/{first}/top with the rest as "then"): the head moves
 * the pending jobs to the top of their user's pending jobs in the order given, by nice values, as slurmctld's
 * job_set_top does; an operator's request ({@link SlurmOperator}), or any user's for their own jobs when the head runs
 * with --enable-user-top. One argument, as scontrol takes; a refusal is printed as scontrol_top_job prints it,
 * slurmctld's words then "for job" and the list as given, and makes the exit code 1.
 */
final class ScontrolTop {
    private final PrintStream err;
    private final String config;
    private final Duration patience;

    ScontrolTop(PrintStream err, String config, Duration patience) {
        this.err = err;
        this.config = config;
        this.patience = patience;
    }

    /**
     * @param typed the command word as typed, for "too few|many arguments for keyword:"
     * @param user who asks
     * @param operator the caller is an operator
     */
    int run(String typed, List<String> args, String user, boolean operator) throws RestClient.ClientException {
        if (args.size() != 1) {
            err.println("too " + (args.isEmpty() ? "few" : "many") + " arguments for keyword:" + typed);
            return 1;
        }
        String named = ScontrolTopIds.named(args.get(0));
        Optional<List<SlurmJobId>> ids = ScontrolTopIds.parse(named);
        if (ids.isEmpty()) {
            err.println("Invalid job id specified for job " + named);
            return 1;
        }
        List<String> then = new ArrayList<>();
        ids.get().subList(1, ids.get().size()).forEach(id -> then.add(id.toString()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("then", then);
        body.put("user", user);
        body.put("operator", operator);
        PatientControl rest = PatientControl.over(RestClient.fromConfig(config), err, "scontrol", patience);
        try {
            rest.post("/api/jobs/" + ids.get().get(0) + "/top", body);
            return 0;
        } catch (RestClient.ClientException e) {
            if (e.status == 0 && e.answer != RestClient.Answer.NONE) {
                throw e;
            }
            err.println(refusal(e.status, e.code, e.getMessage()) + " for job " + named
                    + e.mayStillBeCarriedOut("squeue"));
            return 1;
        }
    }

    /** slurmctld's words for a refused top, by the head's answer: its status and refusal code. */
    static String refusal(int status, String code, String reason) {
        if (status == 404) {
            return "Invalid job id specified";
        }
        if (status == 403) {
            return "Access/permission denied";
        }
        if (status != 409) {
            return reason;
        }
        if ("held".equals(code)) {
            return "Job is in held state, pending scheduler release";
        }
        // Slurm's nice has room for any move; Cadre's range (docs/protocol.md 5.3) may not.
        return "out-of-range".equals(code) ? reason : "Job is no longer pending execution";
    }
}
