package dev.cadre.cli.slurm;

import dev.cadre.protocol.HostList;
import java.util.List;

/**
 * {@code scontrol delete NodeName=NODES}: the DOWN nodes an administrator has the head forget. Keys match as
 * {@link ScontrolUpdate}'s do; the messages of {@link SlurmUsageException#lines()} are scontrol's complete output
 * lines. Slurm deletes partitions and reservations too; Cadre has one partition, and scontrol deletes reservations
 * apart ({@code ScontrolReservations}).
 *
 * @param nodes the host names (or node ids) NodeName's host list names
 */
public record ScontrolNodeDelete(List<String> nodes) {

    /** @param args the words after "delete" */
    public static ScontrolNodeDelete parse(List<String> args) throws SlurmUsageException {
        if (args.isEmpty()) {
            throw new SlurmUsageException("too few arguments for keyword:delete");
        }
        if (args.size() > 1) {
            throw new SlurmUsageException("too many arguments for keyword:delete");
        }
        String word = args.get(0);
        int eq = word.indexOf('=');
        String tag = eq < 0 ? word : word.substring(0, eq);
        if (!ScontrolUpdate.is(tag, "NodeName", 5)) {
            throw new SlurmUsageException("Invalid deletion entity: " + word + " (this Cadre version deletes nodes"
                    + " and reservations: delete NodeName=NODES, delete ReservationName=NAME)");
        }
        String names = eq < 0 ? "" : word.substring(eq + 1);
        if (names.isEmpty()) {
            throw new SlurmUsageException("scontrol: error: No node name specified");
        }
        try {
            return new ScontrolNodeDelete(HostList.expand(names));
        } catch (IllegalArgumentException e) {
            throw new SlurmUsageException("scontrol: error: Invalid node name specified: " + names);
        }
    }
}
