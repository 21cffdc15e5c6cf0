package dev.cadre.cli;

import dev.cadre.cli.slurm.SlurmJobId;
import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.ArrayIndexes;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * scontrol hold|uhold|release|requeue|requeuehold 12_[1-5,9] (or 12_3,12_7): the tasks named of one array go to the
 * REST API as one task list ({"tasks":"1-5,9"}), as scancel sends them ({@link ScancelTaskLists}), not a request
 * per task. The scheduler answers what became of each task, and the tasks it did not change are reported a range
 * per line, in the words scontrol uses for one job ("Job is no longer pending execution for job 12_[3-4]").
 */
final class ScontrolTaskLists {
    private ScontrolTaskLists() {
    }

    /**
     * Carries the action out on every id named: each array's list of tasks in as few requests as the API's bound
     * on a list's text allows, every other id on its own.
     *
     * @return 0 when every id was changed, else 1
     */
    static int post(PrintStream err, PatientControl rest, List<SlurmJobId> ids, String action,
            Map<String, Object> body) throws RestClient.ClientException {
        ScancelTaskLists grouped = ScancelTaskLists.of(ids.stream().map(SlurmJobId::toString).toList());
        int rc = 0;
        for (Map.Entry<Long, ArrayIndexes> list : grouped.lists().entrySet()) {
            for (String part : ScancelTaskLists.parts(list.getValue())) {
                rc |= post(err, rest, list.getKey(), part, action, body);
            }
        }
        for (String single : grouped.singles()) {
            rc |= ScontrolJobRequests.post(err, rest, SlurmJobId.parse(single).orElseThrow(), action, body);
        }
        return rc;
    }

    private static int post(PrintStream err, PatientControl rest, long array, String tasks, String action,
            Map<String, Object> body) throws RestClient.ClientException {
        Map<String, Object> withTasks = new HashMap<>(body);
        withTasks.put("tasks", tasks);
        try {
            List<String> lines = report(action, array, rest.post("/api/jobs/" + array + "/" + action, withTasks));
            lines.forEach(err::println);
            return lines.isEmpty() ? 0 : 1;
        } catch (RestClient.ClientException e) {
            if (e.status == 0 && e.answer != RestClient.Answer.NONE) {
                throw e;
            }
            String named = ScancelTaskLists.named(array, tasks);
            err.println(ScontrolJobRequests.refusal(action, e) + " for job " + named
                    + e.mayStillBeCarriedOut("'scontrol show job " + named + "' or squeue"));
            return 1;
        }
    }

    /** A line per range of tasks the answer says were not changed, worded by why; none when all were. */
    static List<String> report(String action, long array, Json answer) {
        List<String> lines = new ArrayList<>();
        for (Json refused : answer.path("refused")) {
            String why = ScontrolJobRequests.refusal(action, 409, refused.path("state").asText(null),
                    refused.path("reason").asText(""));
            ranges(lines, array, refused.path("tasks").asText(null), refused.path("omitted").asInt(0), why);
        }
        Json omitted = answer.path("omitted");
        ranges(lines, array, answer.path("ended").asText(null), omitted.path("ended").asInt(0),
                "Job has already finished");
        ranges(lines, array, answer.path("missing").asText(null), omitted.path("missing").asInt(0),
                "Invalid job id specified");
        return lines;
    }

    private static void ranges(List<String> lines, long array, String tasks, int more, String why) {
        ScancelTaskLists.subjects(array, tasks, more, "job ", subject -> lines.add(why + " for " + subject));
    }
}
