package dev.cadre.protocol;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;

/**
 * A spec's nodelist or exclude: the entries as given, which is all the list shows (and all JSON sees), and the
 * hosts they name, expanded on first use and kept. The scheduler asks for the hosts on every pass under its lock,
 * and one entry like {@code a[0-9999]} is ten thousand names each time. A record holds no field beyond its
 * components, so the expansion travels inside the component. Immutable; entries may be null, for the validator
 * to name.
 */
final class HostExpressions extends AbstractList<String> implements RandomAccess {
    private final List<String> entries;
    private volatile List<String> hosts;

    private HostExpressions(List<String> entries) {
        this.entries = entries;
    }

    /** null for an absent or empty list (the two mean the same); a list already read is kept with its hosts. */
    static List<String> of(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            return null;
        }
        if (entries instanceof HostExpressions read) {
            return read;
        }
        return new HostExpressions(Collections.unmodifiableList(new ArrayList<>(entries)));
    }

    /**
     * The hosts of a list made by {@link #of}, expanded, each once, in the order first named.
     *
     * @throws IllegalArgumentException for an entry that is not a host list; a validated spec has none
     */
    static List<String> hosts(List<String> expressions) {
        return expressions == null ? List.of() : ((HostExpressions) expressions).hosts();
    }

    private List<String> hosts() {
        List<String> known = hosts;
        if (known == null) {
            Set<String> names = new LinkedHashSet<>();
            for (String e : entries) {
                names.addAll(HostList.expand(e));
            }
            known = List.copyOf(names);
            hosts = known;
        }
        return known;
    }

    @Override
    public String get(int index) {
        return entries.get(index);
    }

    @Override
    public int size() {
        return entries.size();
    }
}
