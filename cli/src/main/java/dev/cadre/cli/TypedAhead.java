package dev.cadre.cli;

/**
 * What a terminal held, typed ahead, when srun made it raw (srun --pty, salloc's shell). Linux's line discipline
 * keeps an end-of-file typed at a canonical terminal (Ctrl-D, or the EOF that util-linux's script writes to its
 * terminal when its own input ends) as a NUL marked as a line's end; switching the terminal to raw drops the marks,
 * so the next read returns that NUL as a key. Sent on, it reached the command's terminal as a NUL, which that
 * terminal echoed as "^@" before the command's first line or after its last. The key typed was the terminal's EOF
 * character, so that is what goes on: the command's terminal then makes of it what its own settings say (an
 * end-of-file at a canonical one, nothing echoed). Each NUL typed ahead counts as such a mark: a NUL key typed at a
 * canonical terminal is not told apart, and none comes from a terminal that was raw already.
 */
final class TypedAhead {
    /** ICANON in termios's c_lflag. */
    private static final long ICANON = 02;
    /** VEOF's place in Linux's c_cc, which stty -g lists after the four flag words. */
    private static final int VEOF = 4;
    private static final int FLAGS = 4;

    private TypedAhead() {
    }

    /**
     * The EOF character of a terminal whose settings {@code stty -g} printed as {@code saved} (hex words separated
     * by ':', c_iflag, c_oflag, c_cflag, c_lflag, then c_cc), when that terminal was canonical and has one; else -1:
     * a raw terminal makes no end-of-file marks, and a disabled EOF character (0) none to restore.
     */
    static int endOfFile(String saved) {
        String[] words = saved.trim().split(":");
        if (words.length <= FLAGS + VEOF) {
            return -1;
        }
        try {
            long lflag = Long.parseLong(words[3], 16);
            int eof = Integer.parseInt(words[FLAGS + VEOF], 16);
            return (lflag & ICANON) != 0 && eof > 0 && eof < 256 ? eof : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The keys typed ahead as typed: each NUL, an end-of-file mark the switch to raw left, becomes {@code eof} again.
     *
     * @param eof the terminal's EOF character, or -1 (from {@link #endOfFile}) to leave the bytes as they are
     */
    static byte[] restore(byte[] pending, int eof) {
        byte[] keys = pending.clone();
        if (eof < 0) {
            return keys;
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == 0) {
                keys[i] = (byte) eof;
            }
        }
        return keys;
    }
}
