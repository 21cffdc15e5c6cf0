package dev.cadre.node;

import dev.cadre.node.core.ExecAccess;
import java.nio.file.Path;

/**
 * What an MPI launch needs to reach the other nodes through Cadre instead of ssh.
 *
 * @param access null when this node has no exec account to give its jobs
 */
public record RemoteExec(Path cadreLauncher, Path rshAgent, ExecAccess access) {
    /** The launcher named by $CADRE_LAUNCHER (bin/cadre sets it), with its cadre-rsh beside it; else null. */
    public static RemoteExec fromEnvironment(ExecAccess access) {
        String launcher = System.getenv("CADRE_LAUNCHER");
        if (launcher == null || launcher.isBlank()) {
            return null;
        }
        Path cadre = Path.of(launcher).toAbsolutePath();
        return new RemoteExec(cadre, cadre.resolveSibling("cadre-rsh"), access);
    }
}
