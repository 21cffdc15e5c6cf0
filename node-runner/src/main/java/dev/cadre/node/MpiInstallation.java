package dev.cadre.node;

import dev.cadre.node.core.MpiLauncher;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds the MPI launcher a node runs MPI jobs with. Debian installs Open MPI and MPICH side by side
 * (mpirun.openmpi, mpiexec.hydra) and points plain mpirun at one of them, so the suffixed names are tried
 * first and a plain one is believed only if its --version says what it is.
 */
public final class MpiInstallation {
    public static final String AUTO = "auto";
    public static final String OPEN_MPI = "openmpi";
    public static final String MPICH = "mpich";
    public static final String NONE = "none";

    private MpiInstallation() {
    }

    /** What {@code cadre node --mpi} takes. */
    public static final Set<String> CHOICES = Set.of(AUTO, OPEN_MPI, MPICH, NONE);

    /**
     * @param choice {@link #AUTO} (Open MPI, else MPICH), {@link #OPEN_MPI}, {@link #MPICH} or {@link #NONE}
     * @return empty when the chosen kind is not installed, or for none
     */
    public static Optional<MpiLauncher> find(String choice) {
        boolean root = "root".equals(System.getProperty("user.name"));
        return switch (choice) {
            case OPEN_MPI -> openMpi(root);
            case MPICH -> mpich(root);
            case AUTO -> openMpi(root).or(() -> mpich(root));
            default -> Optional.empty();
        };
    }

    private static Optional<MpiLauncher> openMpi(boolean root) {
        return onPath("mpirun.openmpi").or(() -> onPath("mpirun").filter(p -> versionSays(p, "Open MPI")))
                .map(p -> new MpiLauncher(MpiLauncher.Flavor.OPEN_MPI, p.toString(), root));
    }

    private static Optional<MpiLauncher> mpich(boolean root) {
        return onPath("mpiexec.hydra").or(() -> onPath("mpiexec").filter(p -> versionSays(p, "HYDRA")))
                .map(p -> new MpiLauncher(MpiLauncher.Flavor.MPICH, p.toString(), root));
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    private static boolean versionSays(Path program, String what) {
        try {
            Process p = new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return out.contains(what);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
