package dev.cadre.cli.slurm;

import dev.cadre.protocol.HostList;
import java.util.List;
import java.util.Locale;

/**
 * {@code scontrol update NodeName=NODES State=DRAIN Reason=TEXT} and {@code State=RESUME} (or UNDRAIN): what an
 * administrator takes out of service or puts back. Keys match as {@link ScontrolUpdate}'s do, each as KEY=VALUE;
 * the messages of {@link SlurmUsageException#lines()} are scontrol's complete output lines.
 *
 * @param nodes the host names NodeName's host list names
 * @param drain true for DRAIN, false for RESUME
 * @param reason Reason's text; required with DRAIN, as scontrol requires it
 */
public record ScontrolNodeUpdate(List<String> nodes, boolean drain, String reason) {

    /** Whether the words of an update name nodes rather than jobs. */
    public static boolean namesNodes(List<String> args) {
        return args.stream().anyMatch(w -> ScontrolUpdate.is(w.contains("=") ? w.substring(0, w.indexOf('='))
                : w, "NodeName", 5));
    }

    /** @param args the words after "update" */
    public static ScontrolNodeUpdate parse(List<String> args) throws SlurmUsageException {
        String names = null;
        String state = null;
        String reason = null;
        for (String word : args) {
            int eq = word.indexOf('=');
            if (eq < 0) {
                throw new SlurmUsageException(List.of("Invalid input: " + word, "Request aborted"));
            }
            String tag = word.substring(0, eq);
            String value = word.substring(eq + 1);
            if (ScontrolUpdate.is(tag, "NodeName", 5)) {
                names = value;
            } else if (ScontrolUpdate.is(tag, "State", 2)) {
                state = value.toUpperCase(Locale.ROOT);
            } else if (ScontrolUpdate.is(tag, "Reason", 3)) {
                reason = value;
            } else {
                throw new SlurmUsageException(List.of("Update of this parameter is not supported: " + word,
                        "Request aborted"));
            }
        }
        if (state == null) {
            throw new SlurmUsageException(List.of("No changes specified (this Cadre version changes a node's State"
                    + " only: State=DRAIN Reason=... or State=RESUME)"));
        }
        boolean drain = switch (state) {
            case "DRAIN" -> true;
            case "RESUME", "UNDRAIN" -> false;
            default -> throw new SlurmUsageException(List.of("Invalid input: State=" + state, "Request aborted",
                    "Valid states are: DRAIN RESUME UNDRAIN (the others are not supported by this Cadre version)"));
        };
        if (drain && (reason == null || reason.isBlank())) {
            throw new SlurmUsageException("You must specify a reason when DOWNING or DRAINING a node. Request denied");
        }
        if (names == null || names.isEmpty()) {
            throw new SlurmUsageException("scontrol: error: No node name specified");
        }
        List<String> nodes;
        try {
            nodes = HostList.expand(names);
        } catch (IllegalArgumentException e) {
            throw new SlurmUsageException("scontrol: error: Invalid node name specified: " + names);
        }
        return new ScontrolNodeUpdate(nodes, drain, drain ? reason : null);
    }
}
