package dev.cadre.cli.slurm;

import dev.cadre.cli.slurm.SreportRequest.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A report's conditions, the words after its name, as sreport's _set_cond functions read them: NAME=VALUE with NAME
 * any abbreviation Slurm takes, or a bare word (a user name for the cluster and user reports, a cluster name for the
 * job reports). Conditions Cadre has nothing for are refused by name rather than ignored.
 */
final class SreportConditions {
    private SreportConditions() {
    }

    static SreportRequest read(Kind kind, List<String> words, SreportCommandLine.Settings s, Map<String, String> env)
            throws SlurmUsageException {
        boolean job = kind == Kind.JOB_SIZES;
        // cluster Utilization reads _set_cluster_cond's conditions: a bare word names a cluster, and no user or account.
        boolean clusterWide = kind == Kind.UTILIZATION;
        String start = null;
        String end = null;
        List<String> users = new ArrayList<>();
        List<String> accounts = null;
        List<String> format = new ArrayList<>();
        long top = 10;
        List<Integer> grouping = new ArrayList<>();
        boolean individual = false;
        boolean count = false;
        for (String word : words) {
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            String value = eq < 0 ? null : word.substring(eq + 1);
            if (value == null && abbrev(name, "all_clusters", 1)) {
                continue;
            }
            if (value == null) {
                if (kind == Kind.ACCOUNT_BY_USER && abbrev(name, "Tree", 4)
                        || kind == Kind.TOP_USAGE && abbrev(name, "group", 1)
                        || job && abbrev(name, "FlatView", 2)) {
                    // One account, root: a tree, grouped accounts and a flat view all show it alike.
                    continue;
                }
                if (job && abbrev(name, "PrintJobCount", 2)) {
                    count = true;
                    continue;
                }
                if (job || clusterWide) {
                    SlurmClusters.check("sreport", name, env);
                } else {
                    users.addAll(list(name));
                }
            } else if (!clusterWide && abbrev(name, "Users", 1)) {
                users.addAll(list(value));
            } else if (!clusterWide && (abbrev(name, "Accounts", 2) || abbrev(name, "Acct", 4))) {
                accounts = accounts == null ? new ArrayList<>() : accounts;
                accounts.addAll(list(value));
            } else if (abbrev(name, "Clusters", 1)) {
                SlurmClusters.check("sreport", value, env);
            } else if (abbrev(name, "End", 1)) {
                end = value;
            } else if (abbrev(name, "Start", 1)) {
                start = value;
            } else if (abbrev(name, "Format", job ? 2 : 1)) {
                format.addAll(list(value));
            } else if (kind == Kind.TOP_USAGE && abbrev(name, "TopCount", 1)) {
                top = topCount(value);
            } else if (job && abbrev(name, "grouping", 2)) {
                if (value.regionMatches(true, 0, "i", 0, 1)) {
                    individual = true;
                } else {
                    grouping.addAll(sizes(value));
                }
            } else {
                throw unknown(word, job);
            }
        }
        if (!individual && grouping.isEmpty()) {
            grouping = List.of(50, 250, 500, 1000);
        }
        check(grouping);
        boolean accountsMatch = accounts == null || accounts.stream().anyMatch(a -> a.equalsIgnoreCase("root"));
        return new SreportRequest(kind, start, end, users.stream().distinct().toList(), accountsMatch,
                List.copyOf(format), top, individual ? List.of() : List.copyOf(grouping), individual, count, s.time(),
                s.parsable(), s.header(), s.sortByName(), s.tres());
    }

    private static boolean abbrev(String given, String name, int least) {
        return SreportCommandLine.abbrev(given, name, least);
    }

    /** slurm_addto_char_list: comma-separated, empty entries skipped. */
    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String v : value.split(",")) {
            if (!v.isEmpty()) {
                out.add(v);
            }
        }
        return out;
    }

    /** get_uint: strtol's leading number; none at all is Slurm's error; a negative count shows every user. */
    private static long topCount(String value) throws SlurmUsageException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*([-+]?\\d{1,18})").matcher(value);
        if (!m.lookingAt()) {
            throw new SlurmUsageException("sreport: error: Invalid value for TopCount (" + value + ")");
        }
        long n = Long.parseLong(m.group(1));
        return n < 0 ? 0 : n;
    }

    private static List<Integer> sizes(String value) throws SlurmUsageException {
        List<Integer> out = new ArrayList<>();
        for (String v : list(value)) {
            if (!v.matches("\\d{1,9}")) {
                throw new SlurmUsageException("sreport: error: Grouping= takes CPU counts separated by commas"
                        + " (50,250,500,1000) or individual, not '" + v + "'");
            }
            out.add(Integer.parseInt(v));
        }
        return out;
    }

    private static void check(List<Integer> grouping) throws SlurmUsageException {
        if (!grouping.isEmpty() && grouping.get(0) < 1) {
            throw new SlurmUsageException("sreport: error: Grouping= sizes start at 1 CPU: the first group is 0 up to"
                    + " the first size");
        }
        for (int i = 1; i < grouping.size(); i++) {
            if (grouping.get(i) <= grouping.get(i - 1)) {
                throw new SlurmUsageException("sreport: error: Grouping= sizes must go up: " + grouping.get(i)
                        + " follows " + grouping.get(i - 1));
            }
        }
    }

    /** Slurm's words for a condition it does not know; Cadre's for one it has no data for. */
    private static SlurmUsageException unknown(String word, boolean job) {
        String name = word.substring(0, Math.max(0, word.indexOf('='))).toLowerCase(java.util.Locale.ROOT);
        if (!name.isEmpty() && List.of("jobs", "nodes", "partitions", "gid", "associations", "wckeys", "qoslevel")
                .stream().anyMatch(n -> n.startsWith(name))) {
            return new SlurmUsageException("sreport: error: Cadre's sreport does not select by " + word
                    + ": its usage is read by user" + (job ? "" : " and account"));
        }
        return new SlurmUsageException(List.of(" Unknown condition: " + word, "Use keyword set to modify value"));
    }
}
