package dev.cadre.protocol;

/** Task ids start..end (inclusive, end on the step), every step-th id: one range of an {@link ArrayIndexes}. */
record TaskRange(int start, int end, int step) {
    int count() {
        return (end - start) / step + 1;
    }

    boolean contains(int i) {
        return i >= start && i <= end && (i - start) % step == 0;
    }

    @Override
    public String toString() {
        if (start == end) {
            return Integer.toString(start);
        }
        return start + "-" + end + (step == 1 ? "" : ":" + step);
    }
}
