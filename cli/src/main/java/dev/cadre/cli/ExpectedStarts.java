package dev.cadre.cli;

import dev.cadre.cli.slurm.ExpectedStart;
import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.HostList;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The head's start forecast for pending jobs (GET /api/jobs/starts), by job id. A head too old to plan (404)
 * gives none silently, as Slurm shows no estimate when backfill has made none. Where the estimates only add to
 * what a command shows (scontrol show job), any other failure is told as a warning and the command goes on without
 * them; where they are what it was asked for (squeue --start, %S, %Y), a head that cannot answer for now
 * ({@link #NOT_FOR_NOW}) fails it, rather than show every start as unknown.
 */
final class ExpectedStarts {
    /**
     * The head's status for a question to ask again later: too many forecasts wait for the scheduler, the
     * scheduler is stopping (the problem's code says which, protocol.md 6.10), or too many requests wait at the head.
     */
    static final int NOT_FOR_NOW = 503;

    private ExpectedStarts() {
    }

    /** @param command the command's name, which starts the warning ("scontrol: warning: ...") */
    static Map<Long, ExpectedStart> ask(RestClient rest, PrintStream err, String command) {
        try {
            return required(rest, err, command);
        } catch (RestClient.ClientException e) {
            err.println(command + ": warning: no expected start times: " + e.getMessage());
            return Map.of();
        }
    }

    /**
     * As {@link #ask}, for a command whose output the estimates are.
     *
     * @throws RestClient.ClientException when the head cannot answer for now ({@link #NOT_FOR_NOW})
     */
    static Map<Long, ExpectedStart> required(RestClient rest, PrintStream err, String command)
            throws RestClient.ClientException {
        Json starts;
        try {
            starts = rest.get("/api/jobs/starts").path("starts");
        } catch (RestClient.ClientException e) {
            if (e.status == NOT_FOR_NOW) {
                throw e;
            }
            if (e.status != 404) {
                err.println(command + ": warning: no expected start times: " + e.getMessage());
            }
            return Map.of();
        }
        Map<Long, ExpectedStart> byJob = new HashMap<>();
        for (int i = 0; i < starts.size(); i++) {
            byJob.put(starts.path(i).path("jobId").asLong(), of(starts.path(i)));
        }
        return byJob;
    }

    /** One entry of a start-forecast's starts: its start, and its hosts compressed. */
    static ExpectedStart of(Json f) {
        List<String> hosts = new ArrayList<>();
        Json nodes = f.path("nodes");
        for (int n = 0; n < nodes.size(); n++) {
            hosts.add(nodes.path(n).asText());
        }
        return new ExpectedStart(f.path("start").asInstant(), hosts.isEmpty() ? null : HostList.compress(hosts));
    }
}
