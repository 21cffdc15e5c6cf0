package dev.cadre.node.core;

import java.nio.file.Path;

/**
 * Where an MPI launch on this node finds Cadre's remote-exec pieces.
 *
 * @param hostfile where the attempt's Open MPI hostfile is written ({@link Hostfile#text})
 * @param cadreLauncher the {@code cadre} command; Open MPI runs it as {@code cadre rsh HOST ...}
 * @param rshAgent a {@code cadre-rsh} wrapper that runs {@code cadre rsh}: MPICH's hydra takes one executable,
 *        not a command line
 * @param access the broker and account the agent uses; null when this node cannot offer remote exec
 */
public record RemoteExecSetup(Path hostfile, Path cadreLauncher, Path rshAgent, ExecAccess access) {
    public RemoteExecSetup(Path hostfile, Path cadreLauncher, Path rshAgent) {
        this(hostfile, cadreLauncher, rshAgent, null);
    }

    public RemoteExecSetup {
        if (hostfile == null || cadreLauncher == null || rshAgent == null) {
            throw new IllegalArgumentException("remote exec needs a hostfile path, the cadre launcher and the"
                    + " cadre-rsh agent");
        }
    }

    /**
     * Open MPI splits plm_rsh_agent at blanks, so a launcher path with one in it could not be followed by
     * {@code rsh}; the single-executable wrapper serves then.
     */
    String openMpiAgent() {
        String launcher = cadreLauncher.toString();
        return launcher.chars().anyMatch(Character::isWhitespace) ? rshAgent.toString() : launcher + " rsh";
    }
}
