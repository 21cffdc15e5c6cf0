package dev.cadre.cli.slurm;

import java.util.Map;

/**
 * -M/--clusters, which tools such as Snakemake pass as "all". Cadre is one cluster, so "all" and its own name
 * both mean the cluster every command already talks to, and are ignored; any other name is refused with the text
 * Slurm's print_db_notok() gives for a cluster it cannot reach.
 */
public final class SlurmClusters {
    /** The name a head announces without --cluster (docs/configuration.md); jobs see theirs as SLURM_CLUSTER_NAME. */
    static final String DEFAULT_NAME = "cadre";

    private SlurmClusters() {
    }

    /** The cluster's name as a report prints it: the job's SLURM_CLUSTER_NAME, else a head's default. */
    public static String name(Map<String, String> env) {
        return env.getOrDefault("SLURM_CLUSTER_NAME", DEFAULT_NAME);
    }

    /**
     * @param value the option's value: names separated by commas
     * @param env the caller's environment: inside a job, SLURM_CLUSTER_NAME names the job's cluster
     * @return null when every name means this cluster, else the error line, without the command's prefix
     */
    public static String refusal(String value, Map<String, String> env) {
        String own = env.get("SLURM_CLUSTER_NAME");
        boolean any = false;
        for (String name : value.split(",")) {
            String n = name.trim();
            if (n.isEmpty()) {
                continue;
            }
            any = true;
            if (!n.equalsIgnoreCase("all") && !n.equals(DEFAULT_NAME) && !n.equals(own)) {
                return unreachable(value);
            }
        }
        return any ? null : unreachable(value);
    }

    /** Throws the refusal, prefixed "COMMAND: error: ", if there is one. */
    static void check(String command, String value, Map<String, String> env) throws SlurmUsageException {
        String refusal = refusal(value, env);
        if (refusal != null) {
            throw new SlurmUsageException(command + ": error: " + refusal);
        }
    }

    private static String unreachable(String value) {
        return "'" + value + "' can't be reached now, or it is an invalid entry for --cluster.  Use 'sacctmgr list"
                + " clusters' to see available clusters.";
    }
}
