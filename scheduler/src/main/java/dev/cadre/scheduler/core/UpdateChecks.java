package dev.cadre.scheduler.core;

import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.Dependencies;
import dev.cadre.protocol.JobRecord;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What an scontrol update of an array's throttle or a job's dependency must be checked against beyond the spec it
 * makes: the throttle belongs to an array as a whole, so it is set on the array's id alone; a new dependency must
 * name jobs that exist, as at submission ({@link DependencyCheck#unknownTarget}), and, unlike a submission's, can
 * name the job itself or a job that already waits for it, which neither could ever leave. Pure.
 */
final class UpdateChecks {
    /** How many waiting jobs a circle is looked for among: a chain longer than this is not followed. */
    private static final int MAX_FOLLOWED = 10_000;

    private UpdateChecks() {
    }

    /**
     * Why the request may not be carried out beyond its spec's limits ({@link SpecUpdate}), or null: its throttle
     * ({@link #throttleTarget}) or its dependency ({@link #dependency}) for the records it names.
     */
    static String problem(ControlRequest.UpdateJob r, List<JobRecord> targets, JobTable jobs,
            Function<Dependencies, Optional<String>> unknown) {
        if (r.arrayTaskThrottle() != null) {
            String wrong = throttleTarget(r, jobs);
            if (wrong != null) {
                return wrong;
            }
        }
        if (targets.isEmpty() || r.dependency() == null || r.dependency().isEmpty()) {
            return null;
        }
        String wrong = dependency(r.dependency(), targets, jobs, unknown);
        return wrong == null ? null : "job " + r.jobId() + (r.taskId() == null ? "" : "_" + r.taskId())
                + " was not updated: " + wrong;
    }

    /**
     * Why the request may not change an array's throttle, or null: it names one task, a part of an array, a task
     * split off, or a job that is no array.
     */
    private static String throttleTarget(ControlRequest.UpdateJob r, JobTable jobs) {
        String array = "arrayTaskThrottle: ";
        if (r.taskId() != null) {
            return array + "job " + r.jobId() + "_" + r.taskId() + " is one task; the throttle is the whole array's:"
                    + " set it on the array's id, " + r.jobId();
        }
        JobRecord j = jobs.get(r.jobId());
        if (j == null) {
            // An array whose own record ended while tasks of it still run is an array still; an unknown id is
            // refused as unknown when the targets are resolved.
            return null;
        }
        if (j.array() == null) {
            return array + "job " + r.jobId() + " is not an array; only an array (sbatch --array) has a throttle";
        }
        long owner = j.array().arrayJobId();
        if (owner != j.id()) {
            return array + "job " + r.jobId() + " is " + j.displayId() + ", of array " + owner + ", not an array"
                    + " itself: set the throttle on the array's id, " + owner;
        }
        return null;
    }

    /**
     * Why the new dependency may not be given to these records, or null: it names a job that does not exist, one
     * of them (or its array), or a job that waits, through its own dependencies, for one of them.
     *
     * @param unknown why a dependency names a job that does not exist ({@link DependencyCheck#unknownTarget})
     */
    private static String dependency(String text, Collection<JobRecord> targets, JobTable jobs,
            Function<Dependencies, Optional<String>> unknown) {
        Dependencies deps;
        try {
            deps = Dependencies.parse(text);
        } catch (IllegalArgumentException e) {
            return "dependency: " + e.getMessage();
        }
        Optional<String> missing = unknown.apply(deps);
        if (missing.isPresent()) {
            return "dependency: " + missing.get();
        }
        Set<Long> selves = new HashSet<>();
        for (JobRecord t : targets) {
            selves.add(t.id());
            if (t.array() != null) {
                selves.add(t.array().arrayJobId());
            }
        }
        Deque<Long> named = new ArrayDeque<>();
        for (Dependencies.Condition c : deps.conditions()) {
            if (c.type() == Dependencies.Type.SINGLETON) {
                continue;
            }
            if (selves.contains(c.jobId())) {
                return "dependency: names job " + c.jobId() + " itself; a job cannot wait for its own end";
            }
            named.add(c.jobId());
        }
        Set<Long> seen = new HashSet<>(named);
        while (!named.isEmpty() && seen.size() <= MAX_FOLLOWED) {
            long id = named.poll();
            for (JobRecord waiting : recordsOf(id, jobs)) {
                String its = waiting.spec().dependency();
                if (its == null || waiting.state().isTerminal()) {
                    continue;
                }
                for (Dependencies.Condition c : conditionsOf(its)) {
                    if (c.type() == Dependencies.Type.SINGLETON) {
                        continue;
                    }
                    if (selves.contains(c.jobId())) {
                        return "dependency: job " + id + " waits for job " + c.jobId() + " already (" + its
                                + "); waiting for it in turn would leave both waiting for ever";
                    }
                    if (seen.add(c.jobId())) {
                        named.add(c.jobId());
                    }
                }
            }
        }
        return null;
    }

    /** A stored dependency's conditions; none for one an older version stored unchecked, which waits on nothing. */
    private static List<Dependencies.Condition> conditionsOf(String dependency) {
        try {
            return Dependencies.parse(dependency).conditions();
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /** The unfinished records a dependency on this id waits for: the job, or an array's records. */
    private static List<JobRecord> recordsOf(long id, JobTable jobs) {
        if (jobs.hasArrayParts(id)) {
            return jobs.arrayParts(id);
        }
        JobRecord j = jobs.get(id);
        return j == null ? List.of() : List.of(j);
    }
}
