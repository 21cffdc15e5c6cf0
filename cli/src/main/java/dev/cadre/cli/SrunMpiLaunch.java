package dev.cadre.cli;

import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.slurm.SrunInput;
import dev.cadre.cli.slurm.SrunOptions;
import dev.cadre.cli.slurm.StepLayout;
import dev.cadre.cli.slurm.StepTasks;
import dev.cadre.node.MpiInstallation;
import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.Hostfile;
import dev.cadre.node.core.MpiLauncher;
import dev.cadre.node.core.RemoteExecSetup;
import dev.cadre.protocol.Allocation;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * srun of an MPI program: its ranks must find each other, which Slurm arranges through PMI and Cadre through the
 * program's own MPI launcher (Open MPI's mpirun, MPICH's hydra), started here with the step's nodes and tasks
 * and reaching the other nodes through cadre-rsh. Each rank runs through bin/cadre-task, which gives it Slurm's
 * per-task variables from the launcher's rank.
 */
final class SrunMpiLaunch {
    /** Variables the launcher itself must see as they are, not pass to the ranks as srun's. */
    private static final Set<String> NOT_FORWARDED_PREFIXES = Set.of("OMPI_", "PMIX_", "HYDRA_", "PMI_");
    /** Set for each rank by cadre-task. */
    private static final Set<String> PER_TASK = Set.of("SLURM_PROCID", "SLURM_LOCALID", "SLURM_NODEID",
            "SLURM_GTIDS", "SLURMD_NODENAME", "SLURM_TOPOLOGY_ADDR", "SLURM_CPUS_ON_NODE");

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    SrunMpiLaunch(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /**
     * Which MPI to start the command with: --mpi (or SLURM_MPI_TYPE) when given, else the MPI library the program
     * links (as ldd lists it).
     *
     * @return {@link MpiInstallation#OPEN_MPI}, {@link MpiInstallation#MPICH}, or null to start the tasks alone
     */
    static String flavorOf(SrunOptions o, Map<String, String> env) throws SlurmUsageException {
        String mpi = o.mpi();
        if (mpi == null || mpi.isEmpty()) {
            return linkedMpi(libraries(o.command().get(0), env));
        }
        return switch (mpi.toLowerCase(Locale.ROOT)) {
            case "none" -> null;
            case "pmix", "pmix_v2", "pmix_v3", "pmix_v4", "pmix_v5", "openmpi" -> MpiInstallation.OPEN_MPI;
            case "pmi2", "pmi1", "pmi", "mpich", "mvapich" -> MpiInstallation.MPICH;
            default -> throw new SlurmUsageException("srun: error: --mpi=" + mpi + " is not known: Cadre starts MPI"
                    + " programs with Open MPI (--mpi=pmix) or MPICH (--mpi=pmi2), or alone (--mpi=none)");
        };
    }

    /** The MPI of a program from ldd's listing of what it links: Open MPI's libmpi.so.40 or MPICH's libraries. */
    static String linkedMpi(String lddOutput) {
        for (String line : lddOutput.split("\n")) {
            String lib = line.trim();
            if (lib.startsWith("libmpi.so.40") || lib.startsWith("libopen-rte.so") || lib.startsWith("libmpi_mpifh")) {
                return MpiInstallation.OPEN_MPI;
            }
            if (lib.startsWith("libmpich") || lib.startsWith("libmpi.so.12")) {
                return MpiInstallation.MPICH;
            }
        }
        return null;
    }

    /** ldd's listing of the program, found on PATH as the shell would; empty for a script or what is not found. */
    private static String libraries(String program, Map<String, String> env) {
        Path path = null;
        if (program.contains("/")) {
            path = Path.of(program);
        } else {
            for (String dir : env.getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, program);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    path = p;
                    break;
                }
            }
        }
        if (path == null || !Files.isRegularFile(path) || !isElf(path)) {
            return "";
        }
        try {
            Process p = new ProcessBuilder("ldd", path.toString()).redirectErrorStream(true).start();
            String text;
            try (InputStream in = p.getInputStream()) {
                text = new String(in.readNBytes(256 * 1024), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return text;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static boolean isElf(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * What an MPI step's --input can be: the launcher gives its own standard input, srun's, to task 0 alone, which
     * the default and --input=0 take; --input=none gives it /dev/null.
     *
     * @return whether the launcher reads /dev/null
     * @throws SlurmUsageException for a mode the launcher cannot give
     */
    static boolean inputOf(SrunInput input) throws SlurmUsageException {
        switch (input.mode()) {
            case DEFAULT:
                return false;
            case NONE:
                return true;
            case TASK:
                if (input.task() == 0) {
                    return false;
                }
                break;
            default:
                break;
        }
        throw new SlurmUsageException("srun: error: --input=" + input.spelled() + " is not supported for an MPI"
                + " program: its launcher gives srun's standard input to task 0 alone (the default, or --input=0);"
                + " use --input=none, or --mpi=none to start the tasks alone");
    }

    int run(SrunOptions o, StepLayout step, int stepId, String flavor) throws SlurmUsageException {
        if (o.multiProg()) {
            throw new SlurmUsageException("srun: error: --multi-prog is not supported with --mpi=" + o.mpi()
                    + ": Cadre starts an MPI program through its MPI's launcher, which reads no srun configuration"
                    + " file; use --mpi=none to start each line's program alone");
        }
        boolean noInput = inputOf(o.input());
        Optional<MpiLauncher> launcher = MpiInstallation.find(flavor);
        String agent = env.get("HYDRA_LAUNCHER_EXEC");
        if (launcher.isEmpty() || agent == null) {
            throw new SlurmUsageException("srun: error: " + o.command().get(0) + " is an MPI program (" + flavor
                    + "), but this node has no " + flavor + " launcher or no cadre-rsh; start it with --mpi=none"
                    + " to run its tasks alone");
        }
        List<Allocation.NodeSlots> slots = new ArrayList<>();
        for (int i = 0; i < step.hosts().size(); i++) {
            slots.add(new Allocation.NodeSlots(step.hosts().get(i), step.hosts().get(i), step.tasksPerNode().get(i),
                    step.tasksPerNode().get(i), 0, 0));
        }
        Allocation allocation = new Allocation(slots);
        Path hostfile = null;
        try {
            hostfile = Files.createTempFile("cadre-srun-hosts", ".txt");
            Files.writeString(hostfile, Hostfile.text(allocation));
            RemoteExecSetup setup = new RemoteExecSetup(hostfile, Path.of(agent),
                    Path.of(env.get(ExecAccess.SOCKET)), launcher.get());
            Map<String, String> stepEnv = StepTasks.environment(env, o, step, step.tasks().get(0), stepId, 0);
            PER_TASK.forEach(stepEnv::remove);
            stepEnv.put("CADRE_STEP_TASKS", String.join(" ", step.tasksPerNode().stream().map(String::valueOf)
                    .toList()));
            stepEnv.put("CADRE_STEP_HOSTS", String.join(" ", step.hosts()));
            List<String> argv = new ArrayList<>(launcher.get().command(allocation, setup));
            if (launcher.get().flavor() == MpiLauncher.Flavor.OPEN_MPI) {
                for (String name : stepEnv.keySet()) {
                    // mpirun -x takes shell names; the others (exported functions) reach the ranks no further.
                    if (NOT_FORWARDED_PREFIXES.stream().noneMatch(name::startsWith) && StepTasks.isShellName(name)) {
                        argv.addAll(List.of("-x", name));
                    }
                }
            }
            argv.add(Path.of(agent).resolveSibling("cadre-task").toString());
            argv.addAll(o.command());
            ProcessBuilder pb = new ProcessBuilder(argv).inheritIO();
            if (noInput) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            if (o.chdir() != null) {
                pb.directory(new File(SrunAllocation.absolute(o.chdir())));
            }
            pb.environment().putAll(stepEnv);
            Process p = pb.start();
            Thread stop = new Thread(p::destroy, "srun-interrupt");
            Runtime.getRuntime().addShutdownHook(stop);
            int code = p.waitFor();
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException e) {
                // Shutting down already.
            }
            out.flush();
            return code;
        } catch (IOException | IllegalArgumentException e) {
            err.println("srun: error: cannot start " + flavor + "'s launcher: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            if (hostfile != null) {
                try {
                    Files.deleteIfExists(hostfile);
                } catch (IOException e) {
                    // A temporary file left behind; nothing depends on it.
                }
            }
        }
    }
}
