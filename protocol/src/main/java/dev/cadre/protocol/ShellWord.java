package dev.cadre.protocol;

/**
 * One word for a POSIX shell (sh, bash), single-quoted, so that the shell takes every character of it as it is: no
 * expansion, splitting or globbing. The one quoting used wherever Cadre writes a command line for a shell: the
 * client library's executor scripts, srun's task lines and the node's lines for a task's stderr.
 */
public final class ShellWord {
    private ShellWord() {
    }

    /**
     * The word between single quotes, each single quote in it written as {@code '\''} (end the quoting, an escaped
     * quote, quote again).
     *
     * @throws IllegalArgumentException for a NUL character, which no shell word can hold (the shell would cut the
     *     line there)
     */
    public static String quote(String word) {
        if (word.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell word cannot hold a NUL character");
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
