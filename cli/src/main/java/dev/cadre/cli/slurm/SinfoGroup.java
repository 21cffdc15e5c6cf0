package dev.cadre.cli.slurm;

import dev.cadre.protocol.HostList;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * One line of sinfo: the nodes it stands for, which agree on everything the format shows. Cadre has one partition,
 * {@code batch}, the default, always up and without limits, so its columns are constants.
 */
final class SinfoGroup {
    static final String PARTITION = "batch";

    private final List<SinfoNode> nodes = new ArrayList<>();

    boolean isEmpty() {
        return nodes.isEmpty();
    }

    SinfoNode first() {
        return nodes.get(0);
    }

    /**
     * Takes the node if it agrees with this group on what the format's letters show (sinfo's _match_node_data);
     * a name the group already has is taken and dropped, as sinfo's host list holds each name once.
     */
    boolean take(SinfoNode node, String letters, boolean exact) {
        if (!nodes.isEmpty() && !agrees(first(), node, letters, exact)) {
            return false;
        }
        if (nodes.stream().noneMatch(n -> n.name().equals(node.name()))) {
            nodes.add(node);
        }
        return true;
    }

    private static boolean agrees(SinfoNode a, SinfoNode b, String letters, boolean exact) {
        return !(has(letters, "tT") && a.state() != b.state()
                || has(letters, "E") && !Objects.equals(a.reason(), b.reason())
                || has(letters, "H") && !Objects.equals(a.reasonTime(), b.reasonTime())
                || has(letters, "G") && !a.gres().equals(b.gres())
                // Sizes split groups only with --exact; otherwise sinfo prints the smallest with a '+'.
                || exact && has(letters, "czX") && a.cpus() != b.cpus()
                || exact && has(letters, "m") && a.memoryMb() != b.memoryMb());
    }

    private static boolean has(String letters, String any) {
        return any.chars().anyMatch(c -> letters.indexOf(c) >= 0);
    }

    /** Host names in sinfo's order (its name comparison), compressed to a Slurm host list. */
    String nodeList() {
        return HostList.compress(nodes.stream().map(SinfoNode::name).sorted(SinfoGroup::compareNames).toList());
    }

    /**
     * sinfo's node name order: at the first character that differs, two digits compare as the numbers they start,
     * anything else as text, so node9 comes before node10.
     */
    static int compareNames(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        if (i < a.length() && i < b.length() && Character.isDigit(a.charAt(i)) && Character.isDigit(b.charAt(i))) {
            return Long.compare(leadingNumber(a, i), leadingNumber(b, i));
        }
        return a.compareTo(b);
    }

    private static long leadingNumber(String s, int from) {
        int end = from;
        while (end < s.length() && end - from < 18 && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return Long.parseLong(s.substring(from, end));
    }

    static String header(char letter) {
        return switch (letter) {
            case 'a' -> "AVAIL";
            case 'A' -> "NODES(A/I)";
            case 'b' -> "ACTIVE_FEATURES";
            case 'B' -> "MAX_CPUS_PER_NODE";
            case 'c' -> "CPUS";
            case 'C' -> "CPUS(A/I/O/T)";
            case 'd' -> "TMP_DISK";
            case 'D' -> "NODES";
            case 'e' -> "FREE_MEM";
            case 'E' -> "REASON";
            case 'f' -> "AVAIL_FEATURES";
            case 'F' -> "NODES(A/I/O/T)";
            case 'g' -> "GROUPS";
            case 'G' -> "GRES";
            case 'h' -> "OVERSUBSCRIBE";
            case 'H' -> "TIMESTAMP";
            case 'i' -> "RESERVATION";
            case 'l' -> "TIMELIMIT";
            case 'L' -> "DEFAULTTIME";
            case 'm' -> "MEMORY";
            case 'n' -> "HOSTNAMES";
            case 'N' -> "NODELIST";
            case 'O' -> "CPU_LOAD";
            case 'P', 'R' -> "PARTITION";
            case 'r' -> "ROOT";
            case 's' -> "JOB_SIZE";
            case 't', 'T' -> "STATE";
            case 'u', 'U' -> "USER";
            case 'w' -> "WEIGHT";
            case 'X' -> "SOCKETS";
            case 'Y' -> "CORES";
            case 'Z' -> "THREADS";
            case 'z' -> "S:C:T";
            default -> null;
        };
    }

    /** The group's text for a letter; {@code width} matters to %P only, which keeps its '*' when cut. */
    String cell(char letter, int width, ZoneId zone) {
        boolean none = nodes.isEmpty();
        return switch (letter) {
            case 'a' -> "up";
            case 'A' -> count(SinfoGroup::busy) + "/" + count(SinfoGroup::idle);
            case 'b', 'f' -> "(null)";
            case 'B' -> "UNLIMITED";
            case 'c', 'X' -> minPlus(SinfoNode::cpus);
            // A node back with fewer cores than its jobs still hold has none idle, not a negative count.
            case 'C' -> sum(n -> n.allocCpus()) + "/" + sum(n -> unavailable(n) ? 0 : unheld(n)) + "/"
                    + sum(n -> unavailable(n) ? unheld(n) : 0) + "/" + sum(SinfoNode::cpus);
            case 'd' -> "0";
            case 'D' -> Integer.toString(nodes.size());
            case 'e', 'O' -> "N/A";
            case 'E' -> none || first().reason() == null ? "none" : first().reason();
            case 'F' -> count(SinfoGroup::busy) + "/" + count(SinfoGroup::idle) + "/" + count(SinfoGroup::unavailable)
                    + "/"
                    + nodes.size();
            case 'g', 'S' -> "all";
            case 'G' -> none ? "(null)" : first().gres();
            case 'h' -> "NO";
            case 'H' -> none || first().reasonTime() == null ? "Unknown"
                    : SlurmTime.formatDate(first().reasonTime(), zone);
            case 'i' -> "";
            case 'l' -> "infinite";
            case 'L' -> "n/a";
            case 'm' -> minPlus(SinfoNode::memoryMb);
            case 'n', 'N' -> nodeList();
            case 'P' -> width > 0 && PARTITION.length() >= width ? PARTITION.substring(0, width - 1) + "*"
                    : PARTITION + "*";
            case 'R' -> PARTITION;
            case 'r' -> "no";
            case 's' -> "1-infinite";
            case 't' -> none ? "n/a" : first().state().compactName;
            case 'T' -> none ? "n/a" : first().state().longName;
            case 'u', 'U' -> none || first().reasonUser() == null ? "Unknown" : first().reasonUser();
            case 'w', 'Y', 'Z' -> none ? "0" : "1";
            case 'z' -> minPlus(SinfoNode::cpus) + (none ? ":0:0" : ":1:1");
            default -> throw new IllegalArgumentException("no sinfo field " + letter);
        };
    }

    private static int unheld(SinfoNode n) {
        return Math.max(0, n.cpus() - n.allocCpus());
    }

    private static boolean busy(SinfoNode n) {
        return !unavailable(n) && n.allocCpus() > 0;
    }

    private static boolean idle(SinfoNode n) {
        return !unavailable(n) && n.allocCpus() <= 0;
    }

    /** sinfo counts down and drained nodes as "other" in %A, %C and %F. */
    private static boolean unavailable(SinfoNode n) {
        return n.down() || n.drain();
    }

    private long count(java.util.function.Predicate<SinfoNode> p) {
        return nodes.stream().filter(p).count();
    }

    private long sum(ToLongFunction<SinfoNode> f) {
        return nodes.stream().mapToLong(f).sum();
    }

    /** sinfo's "smallest, with a '+' if not all are equal". */
    private String minPlus(ToLongFunction<SinfoNode> f) {
        long min = nodes.stream().mapToLong(f).min().orElse(0);
        long max = nodes.stream().mapToLong(f).max().orElse(0);
        return min == max ? Long.toString(min) : min + "+";
    }

    /** The order sinfo prints groups in without -N: by state, as {@link SinfoNode.State} is declared. */
    static final Comparator<SinfoGroup> BY_STATE = Comparator.comparingInt(
            g -> g.isEmpty() ? Integer.MAX_VALUE : g.first().state().ordinal());

    /** With -N: by node name. */
    static final Comparator<SinfoGroup> BY_NAME = (a, b) -> a.isEmpty() || b.isEmpty()
            ? Boolean.compare(a.isEmpty(), b.isEmpty()) : compareNames(a.first().name(), b.first().name());
}
