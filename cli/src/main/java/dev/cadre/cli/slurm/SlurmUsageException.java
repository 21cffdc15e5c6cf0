package dev.cadre.cli.slurm;

import java.util.List;

/**
 * A command line or batch script that Slurm itself would refuse.
 *
 * <p>Each entry of {@link #lines()} is what follows {@code "sbatch: error: "} on one output line;
 * Slurm splits some messages over several {@code error()} calls and a byte-for-byte CLI must too.
 * {@link #getMessage()} is the lines joined with {@code '\n'}.
 */
public class SlurmUsageException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> lines;
    private final int exitCode;

    public SlurmUsageException(String message) {
        this(List.of(message));
    }

    public SlurmUsageException(List<String> lines) {
        this(lines, 1);
    }

    /** @param exitCode what the command exits with: 1 mostly, 255 where Slurm calls exit(-1) */
    public SlurmUsageException(List<String> lines, int exitCode) {
        super(String.join("\n", lines));
        this.exitCode = exitCode;
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a usage error needs at least one line");
        }
        this.lines = List.copyOf(lines);
    }

    public List<String> lines() {
        return lines;
    }

    public int exitCode() {
        return exitCode;
    }
}
