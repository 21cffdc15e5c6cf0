package dev.cadre.cli.slurm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What scontrol create partition and update PartitionName= ask, read as update_part.c's scontrol_parse_part_options
 * reads it: each word TAG=VALUE, tags by prefix from their least length (PartitionName 2, Nodes 1, Default 7,
 * DefaultTime 8, MaxTime 4, State 2), times as time_str2mins (minutes, MM:SS, HH:MM:SS, D-HH[:MM[:SS]], UNLIMITED or
 * INFINITE), Default=YES|NO and State=UP|DOWN|DRAIN|INACTIVE by any prefix; and scontrol's own lines for what is
 * wrong. The tags Slurm has and Cadre keeps nothing of are refused by name.
 *
 * @param body the REST request's fields: name, nodes, default, maxTimeMinutes, defaultTimeMinutes (-1: none), state
 */
public record ScontrolPartition(String name, Map<String, Object> body) {
    private static final List<String> NOT_KEPT = List.of("MaxCPUsPerNode", "MaxNodes", "MinNodes", "DisableRootJobs",
            "ExclusiveUser", "Hidden", "LLN", "RootOnly", "ReqResv", "OverSubscribe", "Shared", "OverTimeLimit",
            "PreemptMode", "Priority", "PriorityJobFactor", "PriorityTier", "AllowGroups", "AllowAccounts",
            "AllowQos", "DenyAccounts", "DenyQos", "AllocNodes", "Alternate", "GraceTime", "DefMemPerCPU",
            "DefMemPerNode", "MaxMemPerCPU", "MaxMemPerNode", "QoS");

    /**
     * Whether update's words name a partition (PartitionName=, from three letters) and no job (JobId=), as
     * scontrol's _update_it judges a job's tag first: a job's update may carry Partition=.
     */
    public static boolean namesPartition(List<String> args) {
        boolean partition = false;
        for (String a : args) {
            String tag = a.indexOf('=') > 0 ? a.substring(0, a.indexOf('=')) : "";
            if (ScontrolReservation.is(tag, "JobId", 3)) {
                return false;
            }
            partition |= ScontrolReservation.is(tag, "PartitionName", 3);
        }
        return partition;
    }

    /** scontrol_create_part: a name, not DEFAULT, and at least one field. */
    public static ScontrolPartition create(List<String> args) throws SlurmUsageException {
        ScontrolPartition p = parse(args);
        if (p.name() == null) {
            throw new SlurmUsageException("scontrol: error: PartitionName must be given.");
        }
        if (p.name().equalsIgnoreCase("default")) {
            throw new SlurmUsageException("scontrol: error: PartitionName cannot be \"DEFAULT\".");
        }
        return p;
    }

    /** scontrol_update_part: a name and something to change. */
    public static ScontrolPartition update(List<String> args) throws SlurmUsageException {
        ScontrolPartition p = parse(args);
        if (p.name() == null) {
            throw new SlurmUsageException("scontrol: error: PartitionName must be given.");
        }
        if (p.body().size() <= 1) {
            throw new SlurmUsageException("scontrol: error: No changes specified");
        }
        return p;
    }

    private static ScontrolPartition parse(List<String> args) throws SlurmUsageException {
        Map<String, Object> body = new LinkedHashMap<>();
        String name = null;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new SlurmUsageException("scontrol: error: Invalid input: " + arg + "  Request aborted");
            }
            String tag = arg.substring(0, eq);
            String val = arg.substring(eq + 1);
            if (ScontrolReservation.is(tag, "PartitionName", 2)) {
                name = val;
                body.put("name", val);
            } else if (ScontrolReservation.is(tag, "MaxTime", 4)) {
                body.put("maxTimeMinutes", minutes(val, arg));
            } else if (ScontrolReservation.is(tag, "DefaultTime", 8)) {
                body.put("defaultTimeMinutes", minutes(val, arg));
            } else if (ScontrolReservation.is(tag, "Default", 7)) {
                body.put("default", choice(val, List.of("NO", "YES"), arg, "Acceptable Default values are YES and NO")
                        .equals("YES"));
            } else if (ScontrolReservation.is(tag, "State", 2)) {
                body.put("state", choice(val, List.of("INACTIVE", "DOWN", "UP", "DRAIN"), arg,
                        "Acceptable State values are UP, DOWN, DRAIN and INACTIVE"));
            } else if (ScontrolReservation.is(tag, "Nodes", 1)) {
                body.put("nodes", val);
            } else {
                String kept = NOT_KEPT.stream().filter(k -> k.equalsIgnoreCase(tag)).findFirst().orElse(null);
                throw new SlurmUsageException(kept != null
                        ? List.of("scontrol: error: " + kept + "= is not supported by this Cadre version: its"
                                + " partitions have nodes, Default, MaxTime, DefaultTime and State",
                                "scontrol: error: Request aborted")
                        : List.of("scontrol: error: Update of this parameter is not supported: " + arg,
                                "scontrol: error: Request aborted"));
            }
        }
        return new ScontrolPartition(name, body);
    }

    /** time_str2mins, whole minutes rounded up; -1 for UNLIMITED (or INFINITE). */
    private static long minutes(String val, String arg) throws SlurmUsageException {
        String upper = val.toUpperCase(Locale.ROOT);
        if (upper.equals("UNLIMITED") || upper.equals("INFINITE")) {
            return -1;
        }
        try {
            Long seconds = SlurmTime.parseTimeLimit(val);
            return seconds == null ? -1 : (seconds + 59) / 60;
        } catch (SlurmUsageException e) {
            throw new SlurmUsageException("scontrol: error: Invalid input " + arg);
        }
    }

    /** A value by any prefix of one of the words (strncasecmp with MAX(vallen, 1)), in the order Slurm tries them. */
    private static String choice(String val, List<String> words, String arg, String acceptable)
            throws SlurmUsageException {
        for (String w : words) {
            if (!val.isEmpty() && val.length() <= w.length() && w.regionMatches(true, 0, val, 0, val.length())) {
                return w;
            }
        }
        throw new SlurmUsageException(List.of("scontrol: error: Invalid input: " + arg, "scontrol: error: "
                + acceptable));
    }
}
