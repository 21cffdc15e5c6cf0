package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * sprio -S: keys sorted on from the last to the first, each ascending unless a '-' stands just before it, so the
 * first key decides and the later ones break its ties. The default, "i", lists jobs by id; "-y" (or "-Y") lists
 * them highest priority first. A weighted and a normalised letter sort alike. Each sort is stable, so a tie keeps
 * the order the keys after it gave (slurm's list_sort, qsort, promises no order for ties).
 */
final class SprioOrder {
    private SprioOrder() {
    }

    static List<SprioJob> sorted(List<SprioJob> jobs, String sort) {
        List<SprioJob> out = new ArrayList<>(jobs);
        for (int i = sort.length() - 1; i >= 0; i--) {
            char c = sort.charAt(i);
            if (c == ',' || c == '-' || c == '+') {
                continue;
            }
            Comparator<SprioJob> by = key(c);
            out.sort(i > 0 && sort.charAt(i - 1) == '-' ? by.reversed() : by);
        }
        return out;
    }

    private static Comparator<SprioJob> key(char c) {
        return switch (c) {
            case 'i' -> Comparator.comparingLong(SprioJob::id);
            case 'N' -> Comparator.comparingInt(SprioJob::nice);
            case 'r' -> Comparator.comparing(SprioJob::partition);
            case 'u' -> Comparator.comparing(SprioJob::user);
            case 'A', 'a' -> Comparator.comparingLong(SprioJob::age);
            case 'F', 'f' -> Comparator.comparingLong(SprioJob::fairShare);
            case 'Y', 'y' -> Comparator.comparingLong(SprioJob::priority);
            // Cluster, QOS name and account are the same for every job; the other factors are 0 for all.
            default -> (a, b) -> 0;
        };
    }
}
