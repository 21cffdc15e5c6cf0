package dev.cadre.db;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The stored rows that pending jobs' dependencies name, for the REST API to show how far each dependency has come.
 * A page of jobs costs three queries per 500 named ids, one more for each 500 task ids named, and one per 500
 * singleton names, however many jobs and conditions it has: never one per job or condition.
 *
 * @param jobs the rows of the named ids: jobs, or arrays' own rows
 * @param arrayRows per named array: its unfinished rows, its rows that hold unstarted tasks (array_pending), and its
 *        task rows of any of the named task ids
 * @param arrayStates per named array: the states its rows are in; a job that is no array has no entry
 * @param unfinishedByName the unfinished jobs that have one of the singleton names
 */
public record NamedJobs(Map<Long, JobRecord> jobs, Map<Long, List<JobRecord>> arrayRows,
        Map<Long, Set<JobState>> arrayStates, List<JobRecord> unfinishedByName) {
    private static final int CHUNK = 500;
    private static final List<String> UNFINISHED = Arrays.stream(JobState.values()).filter(s -> !s.isTerminal())
            .map(Enum::name).toList();
    private static final String SELECT = "SELECT " + JobStore.COLUMNS + " FROM jobs WHERE ";

    /**
     * @param ids the jobs and arrays named
     * @param taskIds the array task ids named (of any of those arrays)
     * @param singletonNames the job names of the jobs with a singleton condition
     */
    static NamedJobs read(Jdbi jdbi, Collection<Long> ids, Collection<Integer> taskIds,
            Collection<String> singletonNames) {
        Map<Long, JobRecord> jobs = new HashMap<>();
        Map<Long, JobRecord> ofArrays = new HashMap<>();
        Map<Long, Set<JobState>> arrayStates = new HashMap<>();
        List<JobRecord> byName = new ArrayList<>();
        jdbi.useHandle(h -> {
            chunks(List.copyOf(ids), chunk -> {
                rows(h.createQuery(SELECT + "id IN (<ids>)").bindList("ids", chunk), jobs);
                h.createQuery("SELECT array_job_id, state FROM jobs WHERE array_job_id IN (<ids>) GROUP BY"
                        + " array_job_id, state").bindList("ids", chunk)
                        .map((rs, ctx) -> Map.entry(rs.getLong(1), JobState.valueOf(rs.getString(2))))
                        .forEach(e -> arrayStates.computeIfAbsent(e.getKey(), k -> EnumSet.noneOf(JobState.class))
                                .add(e.getValue()));
                rows(h.createQuery(SELECT + "array_job_id IN (<ids>) AND (state IN (<unfinished>) OR array_pending"
                        + " IS NOT NULL)").bindList("ids", chunk).bindList("unfinished", UNFINISHED), ofArrays);
                chunks(List.copyOf(taskIds), tasks -> rows(h.createQuery(SELECT + "array_job_id IN (<ids>) AND"
                        + " array_task_id IN (<tasks>)").bindList("ids", chunk).bindList("tasks", tasks), ofArrays));
            });
            chunks(List.copyOf(singletonNames), chunk -> byName.addAll(h.createQuery(SELECT + "name IN (<names>) AND"
                    + " state IN (<unfinished>)").bindList("names", chunk).bindList("unfinished", UNFINISHED)
                    .map((rs, ctx) -> JobStore.read(rs)).list()));
        });
        Map<Long, List<JobRecord>> arrayRows = new HashMap<>();
        ofArrays.values().forEach(j -> arrayRows.computeIfAbsent(j.array().arrayJobId(), k -> new ArrayList<>())
                .add(j));
        return new NamedJobs(jobs, arrayRows, arrayStates, byName);
    }

    private static void rows(Query query, Map<Long, JobRecord> into) {
        query.map((rs, ctx) -> JobStore.read(rs)).forEach(j -> into.put(j.id(), j));
    }

    private static <T> void chunks(List<T> all, Consumer<List<T>> each) {
        for (int i = 0; i < all.size(); i += CHUNK) {
            each.accept(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
    }
}
