package dev.cadre.node.core;

import java.util.Optional;

/**
 * A terminal's size in rows and columns, as {@code stty size} prints it ({@code ROWS COLS}) and as a resize goes
 * between a terminal's client and the node whose pseudo-terminal follows it (the relay's resize frame, exec-resize).
 */
public record TerminalSize(int rows, int columns) {
    /** The most rows or columns taken: far above any real terminal, and within a pty's 16 bits. */
    public static final int MAX = 9999;

    public TerminalSize {
        if (rows < 1 || rows > MAX || columns < 1 || columns > MAX) {
            throw new IllegalArgumentException("a terminal size is 1 to " + MAX + " rows and columns, not " + rows
                    + " rows and " + columns + " columns");
        }
    }

    /**
     * {@code ROWS COLS}, as stty size prints it; empty for anything else, and for {@code 0 0}, the size of a
     * terminal nobody sized.
     */
    public static Optional<TerminalSize> parse(String text) {
        String[] words = text.trim().split(" ");
        if (words.length != 2 || !words[0].matches("[0-9]{1,4}") || !words[1].matches("[0-9]{1,4}")) {
            return Optional.empty();
        }
        int rows = Integer.parseInt(words[0]);
        int columns = Integer.parseInt(words[1]);
        return rows < 1 || columns < 1 ? Optional.empty() : Optional.of(new TerminalSize(rows, columns));
    }

    /** As {@link #parse} reads it. */
    @Override
    public String toString() {
        return rows + " " + columns;
    }
}
