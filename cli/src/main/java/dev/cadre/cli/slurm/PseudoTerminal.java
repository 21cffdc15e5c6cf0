package dev.cadre.cli.slurm;

import dev.cadre.node.core.TerminalSize;
import dev.cadre.protocol.ShellWord;

/**
 * A command line run on a node at a pseudo-terminal of its own (srun --pty, salloc's shell), which util-linux's
 * script makes there: the exec's pipes carry its keys in and its screen out, and the node resizes it as the user's
 * terminal changes size (exec-resize, protocol.md 13.11).
 */
public final class PseudoTerminal {
    private PseudoTerminal() {
    }

    /**
     * What bash runs on the node: {@code line}, a POSIX sh line, at a new pseudo-terminal, sized first when the
     * size is known. script runs its command with $SHELL -c: sh here, whatever the user's shell; the job's own SHELL
     * is set again by what the line exports or loads.
     *
     * @param size the local terminal's size, or null when it is not known (the pty keeps its default)
     */
    public static String wrap(String line, TerminalSize size) {
        String sized = size == null ? line
                : "stty rows " + size.rows() + " cols " + size.columns() + " 2>/dev/null; " + line;
        return "SHELL=/bin/sh script -qefc " + ShellWord.quote(sized) + " /dev/null";
    }
}
