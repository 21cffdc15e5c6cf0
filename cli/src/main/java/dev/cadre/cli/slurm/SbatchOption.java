package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One sbatch option as getopt_long sees it, and what Cadre does with it. */
record SbatchOption(String longName, char shortName, Arity arity, Handling handling, String ignoredBecause) {

    enum Arity { NONE, REQUIRED, OPTIONAL }

    enum Handling {
        /** Mapped into the job. */
        USED,
        /** Accepted with a warning: the concept does not exist in Cadre. */
        WARNED,
        /** A real sbatch option this Cadre version cannot honour, so submitting would mislead. */
        REFUSED
    }

    private static final char NO_SHORT = 0;

    /* Options sbatch knows that Cadre refuses, grouped by how getopt consumes their value. */
    private static final List<String> REFUSED_WITH_VALUE = List.of(
            "acctg-freq", "batch", "bb", "bbf", "cluster-constraint", "container",
            "container-id", "core-spec", "cores-per-socket", "cpu-freq",
            "delay-boot", "distribution", "export-file", "extra",
            "extra-node-info", "gid", "gpu-bind", "gpu-freq", "gpus-per-socket",
            "gres-flags", "licenses", "mcs-label",
            "mem-bind", "mem-per-gpu", "mincpus", "network", "nodefile",
            "ntasks-per-socket", "power", "prefer",
            "profile", "sockets-per-node",
            "switches", "thread-spec", "time-min", "tmp", "tres-bind",
            "tres-per-task", "uid", "wait-all-nodes");
    private static final List<String> REFUSED_WITHOUT_VALUE = List.of(
            "contiguous", "ignore-pbs", "overcommit", "oversubscribe",
            "reboot", "spread-job", "use-min-nodes");
    private static final List<String> REFUSED_OPTIONAL_VALUE = List.of(
            "get-user-env", "no-kill", "propagate");

    private static final Map<String, Character> SHORT_NAMES = Map.ofEntries(
            Map.entry("extra-node-info", 'B'), Map.entry("nodefile", 'F'),
            Map.entry("no-kill", 'k'),
            Map.entry("licenses", 'L'), Map.entry("distribution", 'm'),
            Map.entry("overcommit", 'O'), Map.entry("oversubscribe", 's'),
            Map.entry("core-spec", 'S'));

    private static final Map<String, SbatchOption> BY_LONG = new HashMap<>();
    private static final Map<Character, SbatchOption> BY_SHORT = new HashMap<>();

    static {
        // Loops, not streams: every class a short command loads costs it time.
        for (SbatchOption o : List.of(
                used("job-name", 'J', Arity.REQUIRED), used("output", 'o', Arity.REQUIRED),
                used("error", 'e', Arity.REQUIRED), used("input", 'i', Arity.REQUIRED),
                used("chdir", 'D', Arity.REQUIRED), used("time", 't', Arity.REQUIRED),
                used("nodes", 'N', Arity.REQUIRED), used("ntasks", 'n', Arity.REQUIRED),
                used("cpus-per-task", 'c', Arity.REQUIRED), used("ntasks-per-node", NO_SHORT, Arity.REQUIRED),
                // Slurm's deprecated spelling of --ntasks-per-node.
                used("tasks-per-node", NO_SHORT, Arity.REQUIRED), used("mem", NO_SHORT, Arity.REQUIRED),
                used("gpus-per-task", NO_SHORT, Arity.REQUIRED), used("export", NO_SHORT, Arity.REQUIRED),
                used("mem-per-cpu", NO_SHORT, Arity.REQUIRED), used("gres", NO_SHORT, Arity.REQUIRED),
                used("gpus", 'G', Arity.REQUIRED), used("gpus-per-node", NO_SHORT, Arity.REQUIRED),
                used("ntasks-per-gpu", NO_SHORT, Arity.REQUIRED), used("cpus-per-gpu", NO_SHORT, Arity.REQUIRED),
                // Cadre is one cluster: "all" and its own name are accepted and change nothing (SlurmClusters).
                used("clusters", 'M', Arity.REQUIRED),
                used("requeue", NO_SHORT, Arity.NONE), used("no-requeue", NO_SHORT, Arity.NONE),
                used("parsable", NO_SHORT, Arity.NONE), used("open-mode", NO_SHORT, Arity.REQUIRED),
                used("wrap", NO_SHORT, Arity.REQUIRED), used("verbose", 'v', Arity.NONE),
                used("quiet", 'Q', Arity.NONE), used("wait", 'W', Arity.NONE),
                used("test-only", NO_SHORT, Arity.NONE),
                // Asking for a text instead of a submission (SbatchHelp).
                used("help", 'h', Arity.NONE), used("usage", 'u', Arity.NONE), used("version", 'V', Arity.NONE),
                used("nodelist", 'w', Arity.REQUIRED), used("exclude", 'x', Arity.REQUIRED),
                // --exclusive[=user|mcs|topo]: every form gets whole nodes here, as no other job can share them.
                used("exclusive", NO_SHORT, Arity.OPTIONAL),
                // When and how often the job runs (SbatchScheduling).
                used("array", 'a', Arity.REQUIRED), used("begin", 'b', Arity.REQUIRED),
                used("deadline", NO_SHORT, Arity.REQUIRED),
                used("dependency", 'd', Arity.REQUIRED), used("hold", 'H', Arity.NONE),
                used("nice", NO_SHORT, Arity.OPTIONAL), used("priority", NO_SHORT, Arity.REQUIRED),
                used("signal", NO_SHORT, Arity.REQUIRED), used("kill-on-invalid-dep", NO_SHORT, Arity.REQUIRED),
                used("mail-type", NO_SHORT, Arity.REQUIRED), used("mail-user", NO_SHORT, Arity.REQUIRED),
                used("reservation", NO_SHORT, Arity.REQUIRED), used("partition", 'p', Arity.REQUIRED),
                warned("account", 'A', "Cadre has no accounts"),
                warned("qos", 'q', "Cadre has no QOS levels"),
                warned("constraint", 'C', "Cadre nodes have no features"),
                warned("comment", NO_SHORT, "Cadre keeps no job comments"),
                // submitit writes --wckey into every script; like -A it is an accounting label.
                warned("wckey", NO_SHORT, "Cadre keeps no accounting"),
                // Site templates set these; a job's tasks get the CPUs asked for, never bound to cores or threads.
                warned("hint", NO_SHORT, "Cadre does no CPU binding"),
                warned("ntasks-per-core", NO_SHORT, "Cadre does no CPU binding"),
                warned("threads-per-core", NO_SHORT, "Cadre does no CPU binding"))) {
            register(o);
        }
        for (String name : REFUSED_WITH_VALUE) {
            register(refused(name, Arity.REQUIRED));
        }
        for (String name : REFUSED_WITHOUT_VALUE) {
            register(refused(name, Arity.NONE));
        }
        for (String name : REFUSED_OPTIONAL_VALUE) {
            register(refused(name, Arity.OPTIONAL));
        }
    }

    static SbatchOption byLongName(String name) {
        return BY_LONG.get(name);
    }

    /**
     * The option a long name stands for as getopt_long reads it: the option so named, else every option whose
     * name starts so (one: that option; several: getopt's ambiguity), in alphabetical order as sbatch lists them.
     */
    static List<SbatchOption> byLongPrefix(String given) {
        SbatchOption exact = BY_LONG.get(given);
        if (exact != null) {
            return List.of(exact);
        }
        List<SbatchOption> found = new ArrayList<>();
        if (!given.isEmpty()) {
            for (SbatchOption o : BY_LONG.values()) {
                if (o.longName.startsWith(given)) {
                    found.add(o);
                }
            }
        }
        found.sort(BY_NAME);
        return found;
    }

    private static final Comparator<SbatchOption> BY_NAME = new Comparator<>() {
        @Override
        public int compare(SbatchOption a, SbatchOption b) {
            return a.longName.compareTo(b.longName);
        }
    };

    static SbatchOption byShortName(char c) {
        return BY_SHORT.get(c);
    }

    String spelled() {
        return "--" + longName;
    }

    private static SbatchOption used(String name, char shortName, Arity arity) {
        return new SbatchOption(name, shortName, arity, Handling.USED, null);
    }

    private static SbatchOption warned(String name, char shortName, String because) {
        return new SbatchOption(name, shortName, Arity.REQUIRED, Handling.WARNED, because);
    }

    private static SbatchOption refused(String name, Arity arity) {
        return new SbatchOption(name, SHORT_NAMES.getOrDefault(name, NO_SHORT), arity, Handling.REFUSED, null);
    }

    private static void register(SbatchOption option) {
        if (BY_LONG.put(option.longName, option) != null) {
            throw new IllegalStateException("duplicate sbatch option " + option.longName);
        }
        if (option.shortName != NO_SHORT && BY_SHORT.put(option.shortName, option) != null) {
            throw new IllegalStateException("duplicate sbatch short option " + option.shortName);
        }
    }
}
