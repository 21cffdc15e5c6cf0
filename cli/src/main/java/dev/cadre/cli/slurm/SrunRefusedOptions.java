package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;

/**
 * Options Slurm's srun knows and Cadre cannot honour. They are read as srun reads them, so that srun says such an
 * option is not supported rather than getopt's "unrecognized option", which reads as a typing mistake.
 */
final class SrunRefusedOptions {
    private static final List<String> WITH_VALUE = List.of("acctg-freq", "bb", "bbf", "bcast",
            "cluster-constraint", "container", "container-id", "cores-per-socket", "cpu-freq", "cpus-per-gpu",
            "delay-boot", "epilog", "extra", "gid", "gpu-freq", "gpus-per-socket",
            "gres-flags", "het-group", "jobid", "mcs-label", "mem-bind", "mem-per-gpu", "mincpus", "network",
            "ntasks-per-gpu", "ntasks-per-socket", "ntasks-per-tres", "power", "prefer", "profile", "prolog",
            "slurmd-debug", "sockets-per-node", "switches", "task-epilog", "task-prolog",
            "thread-spec", "time-min", "tmp", "tres-bind", "tres-per-task", "uid");
    private static final List<Getopt.Option> WITH_SHORT_NAMES = List.of(
            Getopt.Option.value("core-spec", 'S'), Getopt.Option.value("extra-node-info", 'B'),
            Getopt.Option.value("licenses", 'L'), Getopt.Option.value("relative", 'r'),
            Getopt.Option.flag("disable-status", 'X'), Getopt.Option.flag("no-allocate", 'Z'),
            Getopt.Option.flag("overcommit", 'O'), Getopt.Option.flag("oversubscribe", 's'),
            Getopt.Option.flag("preserve-env", 'E'), Getopt.Option.optional("no-kill", 'k'));
    private static final List<String> FLAGS = List.of("contiguous", "external-launcher", "reboot",
            "spread-job", "use-min-nodes", "quit-on-interrupt");
    private static final List<String> OPTIONAL_VALUE = List.of("propagate", "resv-ports", "send-libs", "x11");
    private static final List<String> KEYS = new ArrayList<>();

    static {
        for (Getopt.Option o : all()) {
            KEYS.add(o.key());
        }
    }

    private SrunRefusedOptions() {
    }

    /** Every refused option, as getopt reads it. */
    static List<Getopt.Option> all() {
        List<Getopt.Option> all = new ArrayList<>(WITH_SHORT_NAMES);
        for (String name : WITH_VALUE) {
            all.add(Getopt.Option.value(name, (char) 0));
        }
        for (String name : FLAGS) {
            all.add(Getopt.Option.flag(name, (char) 0));
        }
        for (String name : OPTIONAL_VALUE) {
            all.add(Getopt.Option.optional(name, (char) 0));
        }
        return all;
    }

    /** srun's own options, then its scheduling ones ({@link SrunScheduling}), then the refused ones. */
    static List<Getopt.Option> with(List<Getopt.Option> own, List<Getopt.Option> scheduling) {
        List<Getopt.Option> options = new ArrayList<>(own);
        options.addAll(scheduling);
        options.addAll(all());
        return options;
    }

    /** @throws SlurmUsageException naming the first refused option used */
    static void check(Getopt.Parsed p) throws SlurmUsageException {
        for (Getopt.Use u : p.uses()) {
            if (KEYS.contains(u.key())) {
                throw new SlurmUsageException("srun: error: --" + u.key() + " is not supported by this Cadre version");
            }
        }
    }
}
