package dev.cadre.cli.slurm;

import dev.cadre.protocol.HostList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code scontrol show hostlist LIST} and {@code show hostlistsorted LIST}: host names ("n1,n2,n3", or host list
 * expressions, or the lines of a file) compressed to one Slurm host list, the reverse of show hostnames. As Slurm's
 * hostlist_create and hostlist_ranged_string: without sorting, a name joins the range before it only when its number
 * follows on at the same zero padding (n[1-3], n[01-02], n[9-10], but n[1,02] and n[3,1-2]); names of one prefix
 * share one bracket; duplicates are kept (n[1,1]). hostlistsorted first sorts them as hostlist_sort does: by prefix
 * (numbers in it by value), a name without a number before numbered ones, then by padding, then by number; it keeps
 * duplicates too.
 */
public final class ScontrolHostlist {
    private ScontrolHostlist() {
    }

    /**
     * @param list names separated by commas or white space (a file's lines), empty commas skipped as Slurm skips
     *        them; blank gives an empty line, as Slurm's empty host list
     * @throws SlurmUsageException "Invalid hostlist: LIST (why)" when a name or range is not one
     */
    public static String compress(String list, boolean sorted) throws SlurmUsageException {
        List<String> hosts;
        try {
            hosts = list.isBlank() ? List.of() : HostList.expand(commasOutsideBrackets(list).strip());
        } catch (IllegalArgumentException e) {
            // As scontrol shows a file's names: its lines joined by single commas.
            throw new SlurmUsageException("Invalid hostlist: " + list.strip().replace('\n', ',').replaceAll(",,+", ",")
                    + " (" + e.getMessage() + ")");
        }
        if (sorted) {
            List<String> order = new ArrayList<>(hosts);
            order.sort(SLURM_ORDER);
            hosts = order;
        }
        return HostList.compress(hosts);
    }

    /** Slurm's _next_tok skips runs of separators; HostList takes runs of white space but not an empty name. */
    private static String commasOutsideBrackets(String list) {
        StringBuilder b = new StringBuilder(list.length());
        int depth = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            b.append(c == ',' && depth == 0 ? ' ' : c);
        }
        return b.toString();
    }

    /** A host name as hostlist.c splits it: a prefix, and the digits that end it (none: a "single host"). */
    private record Name(String prefix, int width, long number) {
        static Name of(String host) {
            int start = host.length();
            while (start > 0 && Character.isDigit(host.charAt(start - 1))) {
                start--;
            }
            int width = host.length() - start;
            // Longer numbers than a long holds are not numbers to hostlist.c either.
            if (width == 0 || width > 18) {
                return new Name(host, 0, -1);
            }
            return new Name(host.substring(0, start), width, Long.parseLong(host.substring(start)));
        }

        boolean single() {
            return number < 0;
        }
    }

    /**
     * hostrange_cmp for single names: prefixes by strnatcmp, a single host first, then by number where the two
     * paddings combine, else by width. Paddings combine only where the narrower number is also the smaller, so
     * comparing widths before numbers is the same order, and a total one, which hostrange_cmp is not quite.
     */
    static final Comparator<String> SLURM_ORDER = (a, b) -> {
        Name x = Name.of(a);
        Name y = Name.of(b);
        int c = SinfoGroup.compareNames(x.prefix(), y.prefix());
        if (c == 0) {
            c = Boolean.compare(y.single(), x.single());
        }
        if (c == 0) {
            c = Integer.compare(x.width(), y.width());
        }
        return c != 0 ? c : Long.compare(x.number(), y.number());
    };
}
