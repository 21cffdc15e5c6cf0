package dev.cadre.scheduler.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A list for one log line: the first few items and how many more. A node holding hundreds of jobs that goes DOWN
 * is one line an operator can read, not hundreds.
 */
final class ShortList {
    static final int SHOWN = 5;

    private ShortList() {
    }

    static String of(List<?> items) {
        String first = items.stream().limit(SHOWN).map(String::valueOf).collect(Collectors.joining(", "));
        return items.size() <= SHOWN ? first : first + " and " + (items.size() - SHOWN) + " more";
    }
}
