package dev.cadre.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Output bytes as lines of text: the last lines of a file's end, and text cut only between characters. */
final class OutputText {
    private OutputText() {
    }

    /**
     * The last lines of a file's end.
     *
     * @param lines without their line ends; a last line without one is included as it is
     * @param skipped bytes of the end that were not taken: whole lines before these, or a line cut off at the
     *        start of the end when it did not begin the file
     * @param more whether the file has lines before these
     */
    record Tail(List<String> lines, int skipped, boolean more) {
    }

    /** @param fromFileStart whether the bytes begin the file; if not, their first line may be cut off */
    static Tail lastLines(byte[] end, boolean fromFileStart, int count) {
        int start = 0;
        if (!fromFileStart) {
            int firstNewline = indexOf(end, 0);
            // A single line longer than the end read is shown as far as it was read.
            start = firstNewline < 0 ? 0 : firstNewline + 1;
        }
        List<Integer> starts = new ArrayList<>();
        for (int i = start; i < end.length; i = indexOf(end, i) + 1) {
            starts.add(i);
            if (indexOf(end, i) < 0) {
                break;
            }
        }
        int from = Math.max(0, starts.size() - count);
        List<String> lines = new ArrayList<>(starts.size() - from);
        for (int k = from; k < starts.size(); k++) {
            int s = starts.get(k);
            int e = indexOf(end, s);
            lines.add(new String(end, s, (e < 0 ? end.length : e) - s, StandardCharsets.UTF_8));
        }
        int skipped = from < starts.size() ? starts.get(from) : end.length;
        return new Tail(lines, skipped, skipped > 0 || !fromFileStart);
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * How many of the bytes end on a whole UTF-8 character: a character cut at the end of a chunk waits for the
     * rest of it in the next one. Bytes that are no valid UTF-8 are let through, to become replacement characters.
     */
    static int wholeCharacters(byte[] b, int length) {
        for (int back = 1; back <= Math.min(3, length); back++) {
            int c = b[length - back] & 0xff;
            if ((c & 0xc0) != 0x80) {
                int needed = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
                return needed > back ? length - back : length;
            }
        }
        return length;
    }
}
