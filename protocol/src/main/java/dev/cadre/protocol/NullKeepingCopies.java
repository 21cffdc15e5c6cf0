package dev.cadre.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable copies of a spec's lists and map, which cost nothing for a spec rebuilt from another (List.copyOf hands
 * an immutable list back as it is). A list with a null element is kept as it is, so that the validator names the
 * element ("spec.args[0]") where List.copyOf would throw and the decoder refuse the whole message, or a whole
 * submit-jobs batch, naming nothing.
 */
final class NullKeepingCopies {
    private NullKeepingCopies() {
    }

    static <T> List<T> of(List<T> list) {
        try {
            return List.copyOf(list);
        } catch (NullPointerException hasNull) {
            return Collections.unmodifiableList(new ArrayList<>(list));
        }
    }

    /** As {@link #of(List)}, for the environment. */
    static <K, V> Map<K, V> of(Map<K, V> map) {
        try {
            return Map.copyOf(map);
        } catch (NullPointerException hasNull) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(map));
        }
    }
}
