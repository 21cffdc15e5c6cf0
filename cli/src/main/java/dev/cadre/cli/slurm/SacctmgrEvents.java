package dev.cadre.cli.slurm;

import dev.cadre.cli.slurm.PrintFields.Parsable;
import dev.cadre.protocol.HostList;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code sacctmgr show event}'s conditions, read as event_functions.c's _set_cond reads them, and the REST query they
 * make. Cadre's events are its nodes' DOWN (not responding: Slurm's DOWN*) and drained periods; it records no
 * cluster events (Slurm's registrations of the cluster's CPU count), so Event=Cluster lists none.
 *
 * @param start the window's start, null for All_Time; without Start= 00:00 of the day before, or now when States=
 *        is given (the events still in force), as sacctmgr makes it
 * @param end null for none
 * @param statuses Cadre's statuses the States= ask for (DOWN, DRAINED); empty when they name only states Cadre never
 *        records (IDLE, FAIL, ...), which match nothing
 * @param minCores slurmdbd's cpus_min: alone an exact count, with {@code maxCores} the range's low end
 * @param nodeEvents whether node events are listed (not for Event=Cluster alone)
 */
public record SacctmgrEvents(Instant start, Instant end, List<String> nodes, Set<String> statuses, List<String> users,
        List<String> reasons, Integer minCores, Integer maxCores, boolean nodeEvents,
        List<SacctmgrEventFields.Field> fields, Parsable parsable, boolean header) {

    private static final List<String> SLURM_STATES = List.of("UNKNOWN", "DOWN", "IDLE", "ALLOCATED", "ERROR",
            "MIXED", "FUTURE");

    static SacctmgrEvents read(List<String> words, Parsable parsable, boolean header, Map<String, String> env,
            Instant now, ZoneId zone) throws SlurmUsageException {
        boolean allTime = false;
        boolean node = false;
        boolean cluster = false;
        Instant start = null;
        Instant end = null;
        Set<String> statuses = null;
        List<String> nodes = new ArrayList<>();
        List<String> users = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<String> format = new ArrayList<>();
        Integer min = null;
        Integer max = null;
        for (String word : words) {
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            String value = eq < 0 ? "" : word.substring(eq + 1);
            if (eq < 0 && abbrev(word, "all_clusters", 5)) {
                continue;
            } else if (eq < 0 && abbrev(word, "all_time", 5)) {
                allTime = true;
            } else if (eq < 0 && (abbrev(word, "where", 5) || abbrev(word, "set", 3))) {
                continue;
            } else if (eq < 0 || abbrev(name, "Events", 1)) {
                for (String type : list(eq < 0 ? word : value)) {
                    if (abbrev(type, "Node", 1)) {
                        node = true;
                    } else if (abbrev(type, "Cluster", 1)) {
                        cluster = true;
                    } else {
                        throw new SlurmUsageException(" Unknown event type: '" + type + "'  Valid events are Cluster"
                                + " and Node.");
                    }
                }
            } else if (abbrev(name, "Clusters", 1)) {
                SlurmClusters.check("sacctmgr", value, env);
            } else if (abbrev(name, "End", 1)) {
                end = SlurmTime.parsePast(value, now, zone);
            } else if (abbrev(name, "Format", 1)) {
                format.addAll(list(value));
            } else if (abbrev(name, "MinCpus", 2)) {
                min = count(value, "MinCpus");
            } else if (abbrev(name, "MaxCpus", 2)) {
                max = count(value, "MaxCpus");
            } else if (abbrev(name, "Nodes", 1)) {
                nodes.addAll(hosts(value));
            } else if (abbrev(name, "Reason", 1)) {
                reasons.addAll(list(value));
            } else if (abbrev(name, "Start", 4)) {
                start = SlurmTime.parsePast(value, now, zone);
            } else if (abbrev(name, "States", 4)) {
                statuses = statuses == null ? new LinkedHashSet<>() : statuses;
                statuses.addAll(states(value));
                node = true;
            } else if (abbrev(name, "User", 1)) {
                users.addAll(list(value));
                node = true;
            } else {
                throw new SlurmUsageException(" Unknown condition: " + word);
            }
        }
        if (!allTime && start == null) {
            start = statuses != null ? now : now.atZone(zone).toLocalDate().minusDays(1).atStartOfDay(zone).toInstant();
        }
        boolean clusterOnly = cluster && !node;
        if (format.isEmpty()) {
            format = list(clusterOnly ? "Cluster,CPUCount,Start,End,ClusterNodes"
                    : "Cluster,NodeName,Start,End,State,Reason,User");
        }
        List<SacctmgrEventFields.Field> fields = new ArrayList<>();
        for (String f : format) {
            fields.add(SacctmgrEventFields.field(f));
        }
        Set<String> asked = statuses == null ? Set.of("DOWN", "DRAINED") : Set.copyOf(statuses);
        return new SacctmgrEvents(start, end, List.copyOf(nodes), asked, List.copyOf(users), List.copyOf(reasons),
                min, min == null ? null : max == null ? min : max, !clusterOnly, List.copyOf(fields), parsable,
                header);
    }

    /** Whether there is anything to ask the head for. */
    public boolean asksForRows() {
        return nodeEvents && !statuses.isEmpty();
    }

    /** The query of GET /api/nodes/events, from "?" on. */
    public String query(int limit) {
        StringBuilder q = new StringBuilder("?limit=").append(limit);
        if (start != null) {
            q.append("&start=").append(start);
        }
        if (end != null) {
            q.append("&end=").append(end);
        }
        param(q, "nodes", nodes);
        param(q, "states", statuses.stream().sorted().toList());
        param(q, "users", users);
        param(q, "reasons", reasons);
        if (minCores != null) {
            q.append("&minCores=").append(minCores).append("&maxCores=").append(maxCores);
        }
        return q.toString();
    }

    private static void param(StringBuilder q, String name, List<String> values) {
        if (!values.isEmpty()) {
            q.append('&').append(name).append('=').append(URLEncoder.encode(String.join(",", values),
                    StandardCharsets.UTF_8));
        }
    }

    /**
     * _decode_node_state: DRAIN and FAIL, or a node state, each by at least three of its letters. Of them Cadre records
     * DOWN and DRAIN; the others are valid and match nothing.
     */
    private static List<String> states(String value) throws SlurmUsageException {
        List<String> out = new ArrayList<>();
        for (String s : list(value)) {
            if (abbrev(s, "DRAIN", 3)) {
                out.add("DRAINED");
            } else if (abbrev(s, "DOWN", 3)) {
                out.add("DOWN");
            } else if (!abbrev(s, "FAIL", 3) && SLURM_STATES.stream().noneMatch(n -> abbrev(s, n, 3))) {
                throw new SlurmUsageException(List.of("Invalid state: " + s, "Valid node states are: DRAIN FAIL "
                        + String.join(" ", SLURM_STATES) + " ", "sacctmgr: fatal: unrecognized job state value"));
            }
        }
        return out;
    }

    private static List<String> hosts(String value) throws SlurmUsageException {
        List<String> out = new ArrayList<>();
        for (String part : list(value)) {
            try {
                out.addAll(HostList.expand(part));
            } catch (IllegalArgumentException e) {
                throw new SlurmUsageException("sacctmgr: error: Invalid hostlist: " + part + " (" + e.getMessage()
                        + ")");
            }
        }
        return out;
    }

    private static Integer count(String value, String name) throws SlurmUsageException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new SlurmUsageException("sacctmgr: error: Invalid value for " + name + ": '" + value + "'; give a"
                + " whole number of CPUs");
    }

    private static boolean abbrev(String given, String name, int least) {
        return SacctmgrCommandLine.abbrev(given, name, least);
    }

    /** slurm_addto_char_list: comma-separated, empty entries skipped. */
    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String v : value.split(",")) {
            if (!v.isEmpty() && !out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }
}
