package dev.cadre.web;

import dev.cadre.db.JobQuery;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The stored records a {@link JobReference} names. An array task may be inside its array's record (not yet
 * started), be that record (the last task to start keeps it), be a record of its own with a new id, or be inside a
 * part of the array (a record holding tasks that a task-list hold or cancel moved together).
 *
 * <p>The store finds one task's row by its array and task id through an index, but has no such query for an
 * array's tasks as a whole; so those are looked for among the jobs of the array's user after the array's id (a
 * task is its array's user's, and is given an id above its array's when it is split off), a page at a time, and
 * only as far as the answer needs.
 */
final class JobLookup {
    private final JobStore jobs;
    /** How many jobs one read of a scan takes. */
    private final int scanPage;

    JobLookup(JobStore jobs) {
        this(jobs, JobQuery.MAX_LIMIT);
    }

    /** @param scanPage how many jobs one read of a scan takes: smaller in tests, to count the reads */
    JobLookup(JobStore jobs, int scanPage) {
        this.jobs = jobs;
        this.scanPage = scanPage;
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
        // A row of its own, or a part holding it: pending together (a task-list hold), or ended so (a cancel).
        Optional<JobRecord> own = jobs.history().task(ref.jobId(), ref.taskId());
        return own.isPresent() ? own : jobs.history().parts(ref.jobId()).stream()
                .filter(p -> p.array().pending().contains(ref.taskId())).findFirst();
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
     * One page of what squeue -j and sacct -j list.
     *
     * @param total how many records the references name on all pages, with the filters
     */
    record Page(List<JobRecord> jobs, long total) {
    }

    /**
     * What squeue -j and sacct -j list: each job named, every part of each array named by its id, each task named
     * on its own, that pass the query's filters, by id: the page after the query's cursor, and the count of all.
     * Unknown references name nothing; a part named twice (12 and 12_3) is listed once.
     */
    Page records(List<JobReference> refs, JobQuery query) {
        SortedMap<Long, JobRecord> out = new TreeMap<>();
        long total = 0;
        Set<Long> wholeArrays = new HashSet<>();
        Map<Long, JobRecord> singles = new LinkedHashMap<>();
        for (JobReference ref : new LinkedHashSet<>(refs)) {
            Optional<JobRecord> found = find(ref);
            if (found.isEmpty()) {
                continue;
            }
            JobRecord j = found.get();
            if (ref.taskId() == null && isArrayRecord(j, ref.jobId())) {
                if (wholeArrays.add(j.id())) {
                    total += arrayParts(j, query, out);
                }
            } else {
                singles.put(j.id(), j);
            }
        }
        for (JobRecord j : singles.values()) {
            boolean inWholeArray = j.array() != null && wholeArrays.contains(j.array().arrayJobId());
            if (!inWholeArray && passes(j, query)) {
                total++;
                if (afterCursor(j, query)) {
                    out.put(j.id(), j);
                }
            }
        }
        return new Page(out.values().stream().limit(query.limit()).toList(), total);
    }

    /**
     * Adds the array's record and the tasks split off it that pass the query and come after its cursor, at most a
     * page of them; returns how many pass on all pages.
     */
    private long arrayParts(JobRecord array, JobQuery q, SortedMap<Long, JobRecord> out) {
        long total = 0;
        if (passes(array, q)) {
            total++;
            if (afterCursor(array, q)) {
                out.put(array.id(), array);
            }
        }
        if (q.user() != null && !q.user().equals(array.user())) {
            return total;
        }
        List<JobRecord> page = new ArrayList<>();
        long after = q.afterId() == null ? array.id() : Math.max(array.id(), q.afterId());
        scanTasks(array, q.states(), q.name(), after, j -> {
            page.add(j);
            return page.size() < q.limit();
        });
        page.forEach(j -> out.put(j.id(), j));
        return total + countTasks(array, q);
    }

    /**
     * How many tasks split off the array pass the query's states and name. Without those filters it is a sum; the
     * ended ones in given states are counted by the store; only unfinished ones, or a name, need a scan.
     */
    private long countTasks(JobRecord array, JobQuery q) {
        if (q.states().isEmpty() && q.name() == null) {
            return splitOff(array);
        }
        long[] count = {0};
        Set<JobState> scanned = q.states();
        if (q.name() == null) {
            Map<JobState, Integer> ended = jobs.history().endedTasks(array.id());
            for (JobState s : q.states()) {
                count[0] += s.isTerminal() ? ended.getOrDefault(s, 0) : 0;
            }
            count[0] += jobs.history().unstartedParts(array.id()).stream()
                    .filter(p -> q.states().contains(p.state())).count();
            // The array's own record is among them once it became its last task.
            if (array.array().taskId() != null && array.state().isTerminal() && q.states().contains(array.state())) {
                count[0]--;
            }
            scanned = EnumSet.noneOf(JobState.class);
            for (JobState s : q.states()) {
                if (!s.isTerminal()) {
                    scanned.add(s);
                }
            }
            if (scanned.isEmpty()) {
                return count[0];
            }
        }
        scanTasks(array, scanned, q.name(), array.id(), j -> {
            count[0]++;
            return true;
        });
        return count[0];
    }

    /**
     * How many records the array has besides its own: a record per task but those the array's record holds or is,
     * and those its parts hold (pending together, or ended unstarted by a task-list cancel), a record per part.
     */
    private int splitOff(JobRecord array) {
        int held = array.array().pending() != null ? array.array().pending().count() : 1;
        int together = 0;
        int records = 0;
        for (JobRecord part : jobs.history().parts(array.id())) {
            together += part.array().pending().count();
            records++;
        }
        return array.spec().arraySpec().indexes().count() - held - together + records;
    }

    private static boolean passes(JobRecord j, JobQuery q) {
        return (q.states().isEmpty() || q.states().contains(j.state())) && (q.user() == null
                || q.user().equals(j.user())) && (q.name() == null || q.name().equals(j.name()));
    }

    private static boolean afterCursor(JobRecord j, JobQuery q) {
        return q.afterId() == null || j.id() > q.afterId();
    }

    private static boolean isArrayRecord(JobRecord j, long id) {
        return j.array() != null && j.array().arrayJobId() == id;
    }

    /**
     * Hands each task split off the array in the given states (all when empty) and with the name (any when null)
     * to visit, in the order of their ids after the given one, until visit returns false. Without filters, from
     * the array's id on, it stops once every task split off was seen; otherwise it reads to the end of the jobs of
     * the array's user.
     */
    private void scanTasks(JobRecord array, Set<JobState> states, String name, long after,
            Predicate<JobRecord> visit) {
        boolean every = states.isEmpty() && name == null && after <= array.id();
        int splitOff = splitOff(array);
        if (every && splitOff == 0) {
            return;
        }
        int seen = 0;
        long cursor = after;
        while (true) {
            List<JobRecord> page = jobs.list(new JobQuery(states, array.user(), name, Set.of(), cursor, scanPage));
            for (JobRecord j : page) {
                if (j.array() != null && j.array().arrayJobId() == array.id() && j.id() != array.id()) {
                    seen++;
                    if (!visit.test(j)) {
                        return;
                    }
                }
            }
            if (page.size() < scanPage || (every && seen >= splitOff)) {
                return;
            }
            cursor = page.get(page.size() - 1).id();
        }
    }
}
