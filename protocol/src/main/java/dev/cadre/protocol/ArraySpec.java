package dev.cadre.protocol;

/**
 * A job spec's --array value: the task ids and the most tasks that may run at once ("0-99%4").
 *
 * @param throttle 0 for no limit
 */
public record ArraySpec(ArrayIndexes indexes, int throttle) {
    /** The largest throttle --array takes: seven digits after the %. */
    public static final int MAX_THROTTLE = 9_999_999;

    /** @throws IllegalArgumentException naming what is wrong */
    public static ArraySpec parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("is empty");
        }
        int percent = text.indexOf('%');
        int throttle = 0;
        String ids = text;
        if (percent >= 0) {
            String t = text.substring(percent + 1);
            if (t.isEmpty() || t.length() > 7 || !t.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("has '%" + t + "'; the throttle after % must be a whole number");
            }
            throttle = Integer.parseInt(t);
            if (throttle < 1) {
                throw new IllegalArgumentException("has throttle %0; at least one task must be allowed to run");
            }
            ids = text.substring(0, percent);
        }
        return new ArraySpec(ArrayIndexes.parse(ids), throttle);
    }

    /** Whether another task may start while this many of the array's tasks hold nodes. */
    public boolean allowsAnother(int activeTasks) {
        return throttle == 0 || activeTasks < throttle;
    }

    /**
     * The --array text with another throttle (scontrol update ArrayTaskThrottle=): the ids as written, then
     * {@code %N}, or no % for 0 (no limit).
     *
     * @param text a valid --array text
     */
    public static String withThrottle(String text, int throttle) {
        int percent = text.indexOf('%');
        String ids = percent < 0 ? text : text.substring(0, percent);
        return throttle == 0 ? ids : ids + "%" + throttle;
    }
}
