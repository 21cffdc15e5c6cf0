package dev.cadre.cli.slurm;

import dev.cadre.protocol.HostList;
import java.util.LinkedHashSet;
import java.util.Set;

/** The list syntaxes Slurm's client commands share: comma-separated names, and host lists ("n[1-4],gpu7"). */
final class OptionValues {
    private OptionValues() {
    }

    /** The names of a comma-separated list, each once, in order; null for null. */
    static Set<String> names(String text) {
        if (text == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String s : text.split(",")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The hosts of a Slurm host list; null for null.
     *
     * @param complaint the whole line the command prints for a list that is not one
     */
    static Set<String> hosts(String text, String complaint) throws SlurmUsageException {
        if (text == null) {
            return null;
        }
        try {
            return new LinkedHashSet<>(HostList.expand(text));
        } catch (IllegalArgumentException e) {
            throw new SlurmUsageException(complaint);
        }
    }
}
