package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment a batch job gets, as sbatch's --export chooses it: everything (the default, ALL), only what is
 * always kept (NONE), plus named variables and NAME=value items.
 */
final class SbatchExport {
    private SbatchExport() {
    }

    /** @param export the --export value; null when none was given, which exports everything */
    static Map<String, String> environment(String export, Map<String, String> submitEnv) {
        if (export == null) {
            return new LinkedHashMap<>(submitEnv);
        }
        Map<String, String> env = new LinkedHashMap<>();
        List<String> items = new ArrayList<>();
        boolean all = false;
        for (String item : export.split(",")) {
            String upper = item.toUpperCase(Locale.ROOT);
            if (upper.equals("ALL")) {
                all = true;
            } else if (!upper.equals("NONE") && !upper.equals("NIL") && !item.isEmpty()) {
                items.add(item);
            }
        }
        if (all) {
            env.putAll(submitEnv);
        } else {
            keepAlways(submitEnv, env);
        }
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq > 0) {
                env.put(item.substring(0, eq), item.substring(eq + 1));
            } else if (submitEnv.containsKey(item)) {
                env.put(item, submitEnv.get(item));
            }
        }
        return env;
    }

    /**
     * What a job gets from the submitter's environment whatever --export says: its SLURM_* variables, as Slurm
     * defines them with --export=NONE, and where Cadre's client file is, so that squeue, sbatch and the other
     * commands inside the job reach the same head. The node adds HOME, USER, LOGNAME and SHELL (LaunchPlanner).
     */
    private static void keepAlways(Map<String, String> submitEnv, Map<String, String> env) {
        for (Map.Entry<String, String> e : submitEnv.entrySet()) {
            String name = e.getKey();
            if (name.startsWith("SLURM_") || name.equals("CADRE_CONFIG") || name.equals("CADRE_HOME")) {
                env.put(name, e.getValue());
            }
        }
    }
}
