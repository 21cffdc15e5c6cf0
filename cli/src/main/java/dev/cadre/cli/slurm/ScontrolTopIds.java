package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The job list of scontrol top, read as slurmctld's job_set_top reads it: after an optional JobId= or Job=, ids
 * separated by commas (empty entries skipped), each a job id, an array task "12_3", or "12_*" for the array's id. A
 * task list ("12_[1-3]") or anything else is no id, and an empty list names no job: both are slurmctld's "Invalid job
 * id specified" for the whole list.
 */
public final class ScontrolTopIds {
    private ScontrolTopIds() {
    }

    /** The argument without the JobId= or Job= that scontrol_top_job strips, as it is named in the refusal. */
    public static String named(String argument) {
        String s = argument;
        if (s.regionMatches(true, 0, "jobid=", 0, 6)) {
            s = s.substring(6);
        }
        if (s.regionMatches(true, 0, "job=", 0, 4)) {
            s = s.substring(4);
        }
        return s;
    }

    /** @return the ids in the order given, or empty when any is malformed or none is given */
    public static Optional<List<SlurmJobId>> parse(String named) {
        List<SlurmJobId> ids = new ArrayList<>();
        for (String entry : named.split(",", -1)) {
            if (entry.isEmpty()) {
                continue;
            }
            String id = entry.endsWith("_*") ? entry.substring(0, entry.length() - 2) : entry;
            Optional<SlurmJobId> parsed = SlurmJobId.parse(id);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            ids.add(parsed.get());
        }
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids);
    }
}
