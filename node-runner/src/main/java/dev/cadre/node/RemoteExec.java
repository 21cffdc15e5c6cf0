package dev.cadre.node;

import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.MpiLauncher;
import java.nio.file.Path;

/**
 * What an MPI launch needs to reach the other nodes through Cadre instead of ssh.
 *
 * @param rshAgent the {@code cadre-rsh} script jobs give mpirun as its agent
 * @param access the exec account this node's relay uses for its jobs' agents; null when it has none, and then
 *        jobs get the agent but no relay to reach
 * @param mpi how this node launches {@code kind: "mpi"} jobs; null when it has no MPI installation
 */
public record RemoteExec(Path rshAgent, ExecAccess access, MpiLauncher mpi) {
    public RemoteExec(Path rshAgent, ExecAccess access) {
        this(rshAgent, access, null);
    }

    /** The agent beside the launcher named by $CADRE_LAUNCHER (bin/cadre sets it); else null. */
    public static RemoteExec fromEnvironment(ExecAccess access, MpiLauncher mpi) {
        String launcher = System.getenv("CADRE_LAUNCHER");
        if (launcher == null || launcher.isBlank()) {
            return null;
        }
        return new RemoteExec(Path.of(launcher).toAbsolutePath().resolveSibling("cadre-rsh"), access, mpi);
    }
}
