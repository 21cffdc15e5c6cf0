package dev.cadre.node.core;

import java.nio.file.Path;

/**
 * Where an MPI launch on this node finds Cadre's remote-exec pieces.
 *
 * @param hostfile where the attempt's Open MPI hostfile is written ({@link Hostfile#text})
 * @param rshAgent the {@code cadre-rsh} agent that Open MPI and MPICH's hydra run instead of ssh
 * @param relaySocket this node's exec relay, which the agent hands its command to; null when this node cannot
 *        offer remote exec
 * @param mpi the launcher for {@code kind: "mpi"} jobs; null when the node has no MPI installation
 */
public record RemoteExecSetup(Path hostfile, Path rshAgent, Path relaySocket, MpiLauncher mpi) {
    public RemoteExecSetup(Path hostfile, Path rshAgent, Path relaySocket) {
        this(hostfile, rshAgent, relaySocket, null);
    }

    public RemoteExecSetup {
        if (hostfile == null || rshAgent == null) {
            throw new IllegalArgumentException("remote exec needs a hostfile path and the cadre-rsh agent");
        }
    }

    /**
     * Open MPI splits plm_rsh_agent at blanks, so an agent path with one in it is given by name, found through
     * PATH ({@link #searchPath}).
     */
    String openMpiAgent() {
        return hasBlank() ? rshAgent.getFileName().toString() : rshAgent.toString();
    }

    /**
     * PATH as the job gets it: Cadre's commands first, beside the agent, so that a job finds srun, sbatch and
     * squeue as on a Slurm cluster's nodes (and the agent by name).
     */
    String searchPath(String path) {
        String bin = rshAgent.getParent().toString();
        return path.equals(bin) || path.startsWith(bin + ":") ? path : bin + ":" + path;
    }

    private boolean hasBlank() {
        return rshAgent.toString().chars().anyMatch(Character::isWhitespace);
    }
}
