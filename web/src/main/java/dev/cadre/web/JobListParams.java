package dev.cadre.web;

import dev.cadre.db.JobQuery;
import dev.cadre.db.JobSearch;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.util.Fields;

/**
 * The query of GET /api/jobs, read strictly: a value that does not parse is refused naming the parameter, rather
 * than ignored (its route refuses an unknown parameter, and one given twice, before this reads it).
 *
 * @param ids Slurm's job ids (squeue -j), or empty; they are looked up one by one and take only the filters
 *        state, user, name and limit besides
 * @param detail each job as GET /api/jobs/{id} gives it, with its spec and attempts (scontrol show job of an
 *        array's records); a page is then at most {@link #DETAIL_LIMIT} jobs, as each may carry a script and an
 *        environment of up to a megabyte
 * @param environment with detail, whether each spec carries its environment; without it only the batch script's
 *        path stays ({@link JobSpec#SCRIPT_PATH_VARIABLE}, scontrol's Command=), for callers that show no
 *        environment: it is most of a record's bytes
 */
record JobListParams(JobSearch search, List<JobReference> ids, boolean detail, boolean environment) {
    static final int DEFAULT_LIMIT = 1000;
    static final int DETAIL_LIMIT = 100;
    static final Set<String> PARAMETERS = Set.of("state", "user", "name", "q", "node", "id", "order", "after",
            "limit", "submittedFrom", "submittedTo", "startedFrom", "startedTo", "endedFrom", "endedTo", "detail",
            "environment");
    private static final Set<String> WITHOUT_IDS = Set.of("q", "node", "order", "submittedFrom", "submittedTo",
            "startedFrom", "startedTo", "endedFrom", "endedTo");

    /** @param node the host name for the node parameter's value, which may be a node's id or its host name */
    static JobListParams parse(Fields q, java.util.function.UnaryOperator<String> node) throws ApiException {
        List<JobReference> ids = value(q, "id") == null ? List.of() : references(value(q, "id"));
        if (!ids.isEmpty()) {
            for (String name : WITHOUT_IDS) {
                if (q.getValue(name) != null) {
                    throw new ApiException(400, "'" + name + "' cannot be combined with 'id'", name);
                }
            }
        }
        String order = value(q, "order");
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw new ApiException(400, "'order' must be asc or desc, not '" + order + "'", "order");
        }
        boolean detail = flag(q, "detail", false);
        boolean environment = flag(q, "environment", true);
        if (value(q, "environment") != null && !detail) {
            throw new ApiException(400, "'environment' applies only with detail=true: a list without it carries no"
                    + " spec", "environment");
        }
        long most = detail ? DETAIL_LIMIT : JobQuery.MAX_LIMIT;
        long limit = q.getValue("limit") == null ? Math.min(DEFAULT_LIMIT, most)
                : QueryParameters.number("limit", q.getValue("limit"));
        if (limit < 1 || limit > most) {
            throw new ApiException(400, "'limit' must be between 1 and " + most + (detail ? " with detail=true" : ""),
                    "limit");
        }
        String nodeName = value(q, "node");
        JobSearch search = new JobSearch(states(value(q, "state")), value(q, "user"), value(q, "name"), value(q, "q"),
                nodeName == null ? null : node.apply(nodeName), between(q, "submitted"), between(q, "started"),
                between(q, "ended"), "desc".equals(order),
                q.getValue("after") == null ? null : QueryParameters.bounded(q.getValue("after"), "after", 0,
                        Long.MAX_VALUE, 0), (int) limit);
        return new JobListParams(search, ids, detail, environment);
    }

    /** A true/false parameter, or the default when it is not given. */
    private static boolean flag(Fields q, String name, boolean absent) throws ApiException {
        String v = value(q, name);
        if (v != null && !v.equals("true") && !v.equals("false")) {
            throw new ApiException(400, "'" + name + "' must be true or false, not '" + v + "'", name);
        }
        return v == null ? absent : v.equals("true");
    }

    /** The same search for the lookup of ids: what JobLookup takes. */
    JobQuery idQuery() {
        return new JobQuery(search.states(), search.user(), search.name(), Set.of(), search.cursor(), search.limit());
    }

    private static String value(Fields q, String name) {
        String v = q.getValue(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static Set<JobState> states(String param) throws ApiException {
        Set<JobState> states = EnumSet.noneOf(JobState.class);
        if (param != null) {
            for (String s : param.split(",")) {
                states.add(state(s.trim()));
            }
        }
        return states;
    }

    private static JobState state(String s) throws ApiException {
        for (JobState st : JobState.values()) {
            if (st.name().equalsIgnoreCase(s) || st.shortCode().equalsIgnoreCase(s)) {
                return st;
            }
        }
        throw new ApiException(400, "unknown state '" + s + "'; use one of " + Arrays.toString(JobState.values()),
                "state");
    }

    private static JobSearch.Between between(Fields q, String prefix) throws ApiException {
        return new JobSearch.Between(instant(q, prefix + "From"), instant(q, prefix + "To"));
    }

    private static Instant instant(Fields q, String name) throws ApiException {
        String v = value(q, name);
        return v == null ? null : QueryParameters.instant(name, v);
    }

    /** squeue -j and sacct -j: "12" is a job or every part of array 12, "12_3" one task. */
    private static List<JobReference> references(String param) throws ApiException {
        List<JobReference> refs = new ArrayList<>();
        for (String s : param.split(",")) {
            refs.add(JobReference.parse(s.trim()).orElseThrow(() -> new ApiException(400, "'id' must list job ids"
                    + " such as 12 or 12_3 (an array task), not '" + s.trim() + "'", "id")));
        }
        return refs;
    }
}
