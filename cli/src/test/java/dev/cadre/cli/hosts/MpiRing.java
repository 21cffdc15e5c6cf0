package dev.cadre.cli.hosts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The MPI test program cli/src/test/mpi/ring.c, compiled with mpicc at test time: a token passes through
 * every rank; each rank prints "rank R of N on HOST", rank 0 then "token T after N ranks (expected T)".
 */
public final class MpiRing {
    public static final Path SOURCE = NetnsHosts.SCRIPT.getParent().resolveSibling("mpi/ring.c");

    private MpiRing() {
    }

    /** Skips the calling test unless Open MPI's mpicc and mpirun are installed. */
    public static void assumeAvailable() {
        for (String tool : new String[] {"mpicc", "mpirun"}) {
            boolean present;
            try {
                NetnsHosts.run(List.of("sh", "-c", "command -v " + tool));
                present = true;
            } catch (IOException e) {
                present = false;
            }
            Assumptions.assumeTrue(present, tool + " not installed (Debian: openmpi-bin libopenmpi-dev)");
        }
    }

    /** Compiles ring.c into dir and returns the program's path. */
    public static Path compile(Path dir) throws IOException {
        Path program = dir.resolve("ring");
        NetnsHosts.run(List.of("mpicc", "-O2", "-o", program.toString(), SOURCE.toString()));
        return program;
    }
}
