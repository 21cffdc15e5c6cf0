package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** sinfo's -t/--states list: Slurm's node state names, and which Cadre nodes each one stands for. */
final class SinfoStates {

    /*
     * Slurm's state names, full/compact, in the order sinfo tries them: a word names the first state whose full
     * or compact name it begins, so "d" is DOWN and "dr" DRAIN.
     */
    private static final List<String> NAMES = List.of(("UNKNOWN/UNK DOWN IDLE ALLOCATED/ALLOC ERROR MIXED/MIX "
            + "FUTURE/FUTR PLANNED/PLND DRAIN DRAINED RESERVED/RESV PERFCTRS/NPC DRAINING/DRNG COMPLETING/COMP "
            + "NO_RESPOND POWERING_DOWN POWERED_DOWN POWER_DOWN POWERING_UP FAIL MAINT REBOOT_REQUESTED "
            + "REBOOT_ISSUED CLOUD").split(" "));

    /*
     * The nodes each state stands for; Cadre nodes are never in the others, which are accepted and match nothing,
     * as in sinfo. ALLOCATED stands for every node with CPUs allocated, mixed ones too, as in sinfo. The base
     * states match drained nodes too; DRAIN matches every drained node, DRAINING those jobs still run on, and
     * DRAINED the others. MAINT and RESERVED are flags, as sinfo matches them: every node an active reservation
     * holds is RESERVED (idle, busy or drained), a maintenance window's MAINT too.
     */
    private static final Map<String, Predicate<SinfoNode>> HOLDS = Map.of(
            "DOWN", n -> n.baseState() == SinfoNode.State.DOWN,
            "IDLE", n -> n.baseState() == SinfoNode.State.IDLE,
            "ALLOCATED", n -> n.allocCpus() > 0,
            "MIXED", n -> n.baseState() == SinfoNode.State.MIXED,
            "NO_RESPOND", SinfoNode::down,
            "DRAIN", SinfoNode::drain,
            "DRAINING", n -> n.drain() && n.allocCpus() > 0,
            "DRAINED", n -> n.drain() && n.allocCpus() <= 0,
            "MAINT", n -> n.reserved() == SinfoNode.Reserved.MAINT,
            "RESERVED", n -> n.reserved() != SinfoNode.Reserved.NONE);

    private SinfoStates() {
    }

    /**
     * The nodes a -t list selects: those in any of its states, or with '&' between them, in all of them.
     *
     * @throws SlurmUsageException with sinfo's two error lines for a word that names no state
     */
    static Predicate<SinfoNode> parse(String list) throws SlurmUsageException {
        if (list.equalsIgnoreCase("all")) {
            return n -> true;
        }
        List<Predicate<SinfoNode>> wanted = new ArrayList<>();
        for (String word : list.split("[,&]")) {
            if (word.isEmpty()) {
                continue;
            }
            wanted.add(HOLDS.getOrDefault(stateNamed(word), n -> false));
        }
        boolean all = list.contains("&");
        return n -> all ? wanted.stream().allMatch(p -> p.test(n)) : wanted.stream().anyMatch(p -> p.test(n));
    }

    /** The full name of the state the word names. */
    private static String stateNamed(String word) throws SlurmUsageException {
        for (String names : NAMES) {
            if (Arrays.stream(names.split("/")).anyMatch(name -> begins(name, word))) {
                return names.split("/")[0];
            }
        }
        throw new SlurmUsageException(List.of("sinfo: error: Bad state string: \"" + word + "\"",
                "sinfo: error: valid states: " + String.join(",",
                        NAMES.stream().map(names -> names.split("/")[0].toLowerCase(Locale.ROOT)).toList())));
    }

    private static boolean begins(String name, String word) {
        return name.regionMatches(true, 0, word, 0, word.length()) && word.length() <= name.length();
    }
}
