package dev.cadre.web;

import dev.cadre.db.JobQuery;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.JobRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The stored records a {@link JobReference} names. An array task may be inside its array's record (not yet
 * started), be that record (the last task to start keeps it), or be a record of its own with a new id.
 */
final class JobLookup {
    private final JobStore jobs;

    JobLookup(JobStore jobs) {
        this.jobs = jobs;
    }

    /** The job, or the record that holds the task; empty when there is none. */
    Optional<JobRecord> find(JobReference ref) {
        Optional<JobRecord> named = jobs.find(ref.jobId());
        if (ref.taskId() == null) {
            return named;
        }
        Optional<JobRecord> array = named.filter(j -> isArrayRecord(j, ref.jobId()));
        if (array.isEmpty() || !array.get().spec().arraySpec().indexes().contains(ref.taskId())) {
            return Optional.empty();
        }
        ArrayPart part = array.get().array();
        if (ref.taskId().equals(part.taskId()) || (part.pending() != null && part.pending().contains(ref.taskId()))) {
            return array;
        }
        Optional<JobRecord> ended = jobs.history().endedTask(ref.jobId(), ref.taskId());
        if (ended.isPresent()) {
            return ended;
        }
        return jobs.unfinished().stream().filter(j -> j.array() != null && j.array().arrayJobId() == ref.jobId()
                && ref.taskId().equals(j.array().taskId())).findFirst();
    }

    /** The job a path names (its id matches {@link JobReference#SYNTAX}); 404 naming it as the path does. */
    JobRecord require(String id) throws ApiException {
        return require(JobReference.parse(id).orElseThrow(), id);
    }

    /** The job or task; 404 when there is none. */
    JobRecord require(JobReference ref) throws ApiException {
        return require(ref, ref.toString());
    }

    private JobRecord require(JobReference ref, String named) throws ApiException {
        return find(ref).orElseThrow(() -> new ApiException(404, "job " + named + " does not exist"));
    }

    /**
     * What squeue -j and sacct -j list: each job named, every part of each array named by its id, each task named
     * on its own, that pass the query's filters, by id. Unknown references name nothing. The parts are looked for
     * here rather than listed by id, as an array may have more of them than one SQL statement takes.
     */
    List<JobRecord> records(List<JobReference> refs, JobQuery query) {
        SortedMap<Long, JobRecord> out = new TreeMap<>();
        for (JobReference ref : refs) {
            Optional<JobRecord> found = find(ref);
            found.filter(j -> passes(j, query)).ifPresent(j -> out.put(j.id(), j));
            if (ref.taskId() == null && found.isPresent() && isArrayRecord(found.get(), ref.jobId())) {
                splitTasks(found.get(), query).forEach(j -> out.put(j.id(), j));
            }
        }
        return out.values().stream().limit(query.limit()).toList();
    }

    private static boolean passes(JobRecord j, JobQuery q) {
        return (q.states().isEmpty() || q.states().contains(j.state())) && (q.user() == null
                || q.user().equals(j.user())) && (q.name() == null || q.name().equals(j.name()))
                && (q.afterId() == null || j.id() > q.afterId());
    }

    private static boolean isArrayRecord(JobRecord j, long id) {
        return j.array() != null && j.array().arrayJobId() == id;
    }

    /**
     * The tasks split off an array's record that pass the query. They were given ids above the array's as they
     * started, so the scan starts there; unfiltered, it stops once every task not in the array's record is found.
     */
    private List<JobRecord> splitTasks(JobRecord array, JobQuery q) {
        boolean unfiltered = q.states().isEmpty() && q.user() == null && q.name() == null;
        int held = array.array().pending() != null ? array.array().pending().count() : 1;
        int wanted = array.spec().arraySpec().indexes().count() - held;
        List<JobRecord> found = new ArrayList<>();
        long after = q.afterId() == null ? array.id() : Math.max(array.id(), q.afterId());
        while (!unfiltered || found.size() < wanted) {
            List<JobRecord> page = jobs.list(new JobQuery(q.states(), q.user(), q.name(), Set.of(), after,
                    JobQuery.MAX_LIMIT));
            for (JobRecord j : page) {
                if (j.array() != null && j.array().arrayJobId() == array.id() && j.id() != array.id()) {
                    found.add(j);
                }
            }
            if (page.size() < JobQuery.MAX_LIMIT) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        return found;
    }
}
