package dev.cadre.cli;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.ArrayIndexes;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * scancel 12_[0-2999]: the tasks named of one array go to the REST API as one task list ({"tasks":"0-2999"}), not
 * a request per task, which took seconds for thousands; the scheduler answers which had ended and which did not
 * exist, and those are reported a range per line, as Slurm writes a task list ("12_[5-9]").
 *
 * @param lists the tasks named of each array, for arrays with more than one task named
 * @param singles every other id, as named: a job, an array, or the one task of an array named
 */
record ScancelTaskLists(Map<Long, ArrayIndexes> lists, List<String> singles) {
    /** The REST API takes a task list of at most this many characters (what ArrayIndexes.parse reads). */
    private static final int MAX_LIST_TEXT = 10_000;

    static ScancelTaskLists of(List<String> ids) {
        Map<Long, TreeSet<Integer>> tasks = new LinkedHashMap<>();
        for (String id : ids) {
            int underscore = id.indexOf('_');
            if (underscore > 0) {
                tasks.computeIfAbsent(Long.parseLong(id.substring(0, underscore)), k -> new TreeSet<>())
                        .add(Integer.parseInt(id.substring(underscore + 1)));
            }
        }
        Map<Long, ArrayIndexes> lists = new LinkedHashMap<>();
        tasks.forEach((array, named) -> {
            if (named.size() > 1) {
                lists.put(array, ArrayIndexes.ofSorted(named.stream().mapToInt(Integer::intValue).toArray()));
            }
        });
        List<String> singles = ids.stream().filter(id -> id.indexOf('_') < 0
                || !lists.containsKey(Long.parseLong(id.substring(0, id.indexOf('_'))))).toList();
        return new ScancelTaskLists(lists, singles);
    }

    /** Cancels each list in as few requests as the API's bound on a list's text allows; 1 when a task was missing. */
    int cancel(PatientControl rest, boolean verbose, PrintStream err) throws RestClient.ClientException {
        int rc = 0;
        for (Map.Entry<Long, ArrayIndexes> list : lists.entrySet()) {
            for (String part : parts(list.getValue())) {
                rc |= cancel(rest, list.getKey(), part, verbose, err);
            }
        }
        return rc;
    }

    private static int cancel(PatientControl rest, long array, String tasks, boolean verbose, PrintStream err)
            throws RestClient.ClientException {
        if (verbose) {
            err.println("scancel: Terminating job " + named(array, tasks));
        }
        try {
            Json answer = rest.post("/api/jobs/" + array + "/cancel", CancelBody.of(Map.of("tasks", tasks)));
            List<String> lines = report(array, answer);
            lines.forEach(err::println);
            return lines.isEmpty() ? 0 : 1;
        } catch (RestClient.ClientException e) {
            if (e.status == 0 && e.answer != RestClient.Answer.NONE) {
                throw e;
            }
            String named = named(array, tasks);
            String why = e.status == 404 ? "Invalid job id specified" : e.getMessage()
                    + e.mayStillBeCarriedOut("'squeue -j " + named + "' or 'sacct -j " + named + "'");
            err.println("scancel: error: Kill job error on job id " + named(array, tasks) + ": " + why);
            return 1;
        }
    }

    /**
     * A line per range of tasks the answer says were not cancelled, as Slurm words them, and one for those it counts
     * but has no room to name; none when every listed task was cancelled.
     */
    static List<String> report(long array, Json answer) {
        List<String> lines = new ArrayList<>();
        Json omitted = answer.path("omitted");
        // As Slurm answers for each task: one that ended (it still knows it), and one the array never had.
        String ended = "Job/step already completing or completed";
        String missing = "Invalid job id specified";
        subjects(array, answer.path("ended").asText(null), omitted.path("ended").asInt(0), "job id ",
                s -> lines.add("scancel: error: Kill job error on " + s + ": " + ended));
        subjects(array, answer.path("missing").asText(null), omitted.path("missing").asInt(0), "job id ",
                s -> lines.add("scancel: error: Kill job error on " + s + ": " + missing));
        return lines;
    }

    /**
     * What a report names of a set an answer gave: each range ("job 12_[7-9]", after {@code job}), then the tasks
     * it counts but had no room to name (it stays under a message's bound) and where to look.
     */
    static void subjects(long array, String tasks, int more, String job, Consumer<String> subject) {
        if (tasks == null) {
            return;
        }
        for (String range : tasks.split(",")) {
            subject.accept(job + named(array, range));
        }
        if (more > 0) {
            subject.accept(more + " more task" + (more == 1 ? "" : "s") + " of job " + array
                    + " (too many to name in one answer; 'sacct -j " + array + "' lists every task)");
        }
    }

    /** "12_5" for one task, "12_[5-9]" for more, as squeue writes them. */
    static String named(long array, String tasks) {
        return array + (tasks.chars().allMatch(Character::isDigit) ? "_" + tasks : "_[" + tasks + "]");
    }

    /** The list's text in pieces the API takes, cut between its ranges. */
    static List<String> parts(ArrayIndexes tasks) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (String range : tasks.toString().split(",")) {
            if (part.length() > 0 && part.length() + 1 + range.length() > MAX_LIST_TEXT) {
                parts.add(part.toString());
                part.setLength(0);
            }
            part.append(part.length() > 0 ? "," : "").append(range);
        }
        parts.add(part.toString());
        return parts;
    }
}
