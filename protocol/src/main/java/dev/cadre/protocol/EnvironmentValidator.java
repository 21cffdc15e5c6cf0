package dev.cadre.protocol;

import java.util.List;
import java.util.Map;

/**
 * The spec's environment: how many variables, and names and values a process's environment can carry. Values are
 * the job's own data, passed on as sent, but for {@link JobSpec#SCRIPT_PATH_VARIABLE}, which scontrol prints.
 */
final class EnvironmentValidator {
    /** What {@link #isName} takes, as a problem's message says it. */
    static final String NAME_RULE = "a name must be 1 to " + JobSpecValidator.MAX_ENV_NAME
            + " characters without '=' or NUL";

    private EnvironmentValidator() {
    }

    static void check(List<JobSpecValidator.Problem> problems, Map<String, String> env) {
        if (env.size() > JobSpecValidator.MAX_ENV_VARS) {
            problems.add(new JobSpecValidator.Problem("spec.environment", "has more than "
                    + JobSpecValidator.MAX_ENV_VARS + " variables"));
            return;
        }
        for (var e : env.entrySet()) {
            if (!isName(e.getKey())) {
                problems.add(new JobSpecValidator.Problem("spec.environment", "'"
                        + JobSpecValidator.printable(String.valueOf(e.getKey())) + "' is not a variable name: "
                        + NAME_RULE));
            } else if (e.getValue() == null) {
                problems.add(new JobSpecValidator.Problem("spec.environment." + e.getKey(),
                        "must be a string, not null"));
            } else if (e.getValue().indexOf('\0') >= 0) {
                problems.add(new JobSpecValidator.Problem("spec.environment." + e.getKey(),
                        "must be a string without NUL characters"));
            } else if (e.getKey().equals(JobSpec.SCRIPT_PATH_VARIABLE)) {
                PrintableText.problem(e.getValue()).ifPresent(why -> problems.add(new JobSpecValidator.Problem(
                        "spec.environment." + e.getKey(), why)));
            }
        }
    }

    /**
     * A name a process's environment can carry (exec(2) takes "name=value" strings). It is wider than a shell
     * variable's: submitters pass their environment on as Slurm does, with bash's exported functions
     * (BASH_FUNC_module%%) and names such as A-B, and the job's processes get them as they were.
     */
    static boolean isName(String name) {
        return name != null && !name.isEmpty() && name.length() <= JobSpecValidator.MAX_ENV_NAME
                && name.indexOf('=') < 0 && name.indexOf('\0') < 0;
    }
}
