package dev.cadre.node.core;

import dev.cadre.protocol.Allocation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The MPI launcher a node runs {@code kind: "mpi"} jobs with: the job's script becomes every rank, started
 * across the allocation by Open MPI's mpirun or MPICH's hydra, whose daemons reach the other nodes through
 * cadre-rsh.
 *
 * @param program the launcher to run (mpirun, mpirun.openmpi, mpiexec.hydra...)
 * @param asRoot jobs run as root: Open MPI refuses that without being told
 */
public record MpiLauncher(Flavor flavor, String program, boolean asRoot) {
    public enum Flavor {
        OPEN_MPI, MPICH
    }

    /** The launcher's command line, to be followed by the script and its arguments. */
    public List<String> command(Allocation allocation, RemoteExecSetup setup) {
        int ranks = allocation.nodes().stream().mapToInt(Allocation.NodeSlots::tasks).sum();
        List<String> c = new ArrayList<>(List.of(program));
        if (flavor == Flavor.OPEN_MPI) {
            if (asRoot) {
                c.add("--allow-run-as-root");
            }
            c.addAll(List.of("--hostfile", setup.hostfile().toString(), "--mca", "plm", "rsh", "--mca",
                    "plm_rsh_agent", setup.openMpiAgent(), "-np", Integer.toString(ranks)));
        } else {
            // Hydra takes its hosts as host:count, which its hostfile reader and -hosts share.
            String hosts = allocation.nodes().stream().map(n -> n.hostname() + ":" + n.tasks())
                    .collect(Collectors.joining(","));
            c.addAll(List.of("-launcher", "rsh", "-launcher-exec", setup.rshAgent().toString(), "-hosts", hosts,
                    "-n", Integer.toString(ranks)));
        }
        return c;
    }
}
