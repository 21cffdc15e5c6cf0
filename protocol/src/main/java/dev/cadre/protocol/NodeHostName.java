package dev.cadre.protocol;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a node's host name may be. The name goes into an Open MPI hostfile ({@code host slots=N} lines), a Slurm
 * host list (SLURM_JOB_NODELIST, sacct, squeue: ',' and '[' are syntax there) and CADRE_EXEC_NODES
 * ({@code host=id,...}), and Open MPI itself refuses node names outside letters, digits, '.' and '-'. So the one
 * rule is RFC 1123's: dot-separated labels of 1 to 63 letters, digits and hyphens, neither starting nor ending with
 * a hyphen, at most 253 characters in all. An underscore, legal in some host tables, is refused for Open MPI's
 * sake.
 */
public final class NodeHostName {
    public static final int MAX_LENGTH = 253;
    private static final Pattern LABELS = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private NodeHostName() {
    }

    public static boolean isValid(String name) {
        return problem(name).isEmpty();
    }

    /** Why the name cannot be a node's host name, in a sentence that names it; empty when it can. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("the host name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("the host name '" + shown(name) + "' is " + name.length() + " characters long; the"
                    + " limit is " + MAX_LENGTH);
        }
        if (!LABELS.matcher(name).matches()) {
            return Optional.of("the host name '" + shown(name) + "' is not a plain host name: it must be"
                    + " dot-separated labels of letters, digits and '-' (not first or last, at most 63 in a label),"
                    + " as MPI hostfiles and Slurm host lists need");
        }
        return Optional.empty();
    }

    private static String shown(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return PrintableText.masked(cut);
    }
}
