package dev.cadre.cli.hosts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * The MPI test program cli/src/test/mpi/ring.c, compiled with mpicc at test time: a token passes through
 * every rank; each rank prints "rank R of N on HOST", rank 0 then "token T after N ranks (expected T)".
 */
public final class MpiRing {
    public static final Path SOURCE = NetnsHosts.SCRIPT.getParent().resolveSibling("mpi/ring.c");

    /**
     * mpirun as the tests' job scripts call it, followed by -np and the program: TCP only, on the hosts' eth0
     * (every namespace also has lo), and ranks that yield while they wait, since the hosts share two cores.
     */
    public static final String MPIRUN = "mpirun --allow-run-as-root --hostfile $CADRE_HOSTFILE --mca btl tcp,self"
            + " --mca btl_tcp_if_include eth0 --mca oob_tcp_if_include eth0 --mca mpi_yield_when_idle 1 ";

    private MpiRing() {
    }

    /** The hosts the ranks ran on, from the "rank R of N on HOST" lines of the output. */
    public static Set<String> hostsOfRanks(String output) {
        Set<String> hosts = new HashSet<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("rank ")) {
                hosts.add(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return hosts;
    }

    /** Skips the calling test unless Open MPI's mpicc and mpirun are installed. */
    public static void assumeAvailable() {
        assumeTools("openmpi-bin libopenmpi-dev", "mpicc", "mpirun");
    }

    /** Skips the calling test unless MPICH (mpicc.mpich, mpiexec.hydra) is installed beside Open MPI. */
    public static void assumeMpich() {
        assumeTools("mpich libmpich-dev", "mpicc.mpich", "mpiexec.hydra");
    }

    private static void assumeTools(String debianPackages, String... tools) {
        for (String tool : tools) {
            boolean present;
            try {
                NetnsHosts.run(List.of("sh", "-c", "command -v " + tool));
                present = true;
            } catch (IOException e) {
                present = false;
            }
            Assumptions.assumeTrue(present, tool + " not installed (Debian: " + debianPackages + ")");
        }
    }

    /** Compiles ring.c with Open MPI's mpicc into dir and returns the program's path. */
    public static Path compile(Path dir) throws IOException {
        return compile(dir, "mpicc", "ring");
    }

    /** Compiles ring.c with the given MPI compiler wrapper (mpicc.mpich for MPICH) into dir/name. */
    public static Path compile(Path dir, String compiler, String name) throws IOException {
        Path program = dir.resolve(name);
        NetnsHosts.run(List.of(compiler, "-O2", "-o", program.toString(), SOURCE.toString()));
        return program;
    }

}
