package dev.cadre.cli;

import dev.cadre.cli.slurm.SlurmTimeFormat;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The cadre command. Called as sbatch, squeue, ... (a link to bin/cadre), it acts as that command; the
 * launcher passes the name it was called by in CADRE_COMMAND. Client commands load only what they use: the
 * broker, scheduler and web classes stay on disk unless a daemon command ({@link Daemons}) or watch runs.
 */
public final class Main {
    private static final String USAGE = """
            usage: cadre <command> [options]
              up        start broker, scheduler, REST API and a local node-runner in one process
              server    start the head only: broker, scheduler, REST API
              node      start a node-runner that joins a head (found over mDNS, or --server tcp://HOST:PORT)
              sbatch | srun | salloc | squeue | sprio | sshare | scancel | sacct | sstat | sreport | sacctmgr | sinfo | scontrol | seff | sbcast | sdiag   Slurm-compatible commands
              watch [JOBID] [--user U]                    print job state changes as they happen
              rsh [user@]HOST COMMAND...                  run COMMAND on a node of the current job (what mpirun calls)
              service create|delete|list ...              standing services: keep N instances of a command running
            Client commands read the client file from --config FILE, $CADRE_CONFIG, or ~/.cadre/client.json.
            """;

    private static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";
    /** The commands whose dates follow SLURM_TIME_FORMAT. */
    private static final Set<String> SLURM_COMMANDS = Set.of("sbatch", "srun", "salloc", "squeue", "sprio", "sshare",
            "scancel", "sacct", "sstat", "sreport", "sacctmgr", "sinfo", "scontrol", "seff", "sbcast", "sdiag");

    private Main() {
    }

    public static void main(String[] argv) {
        // A node starts a process per job. vfork(2) spares each start the extra exec of jspawnhelper that the
        // default posix_spawn mechanism costs; it must be chosen before the first process is started.
        if (System.getProperty(LAUNCH_MECHANISM) == null) {
            System.setProperty(LAUNCH_MECHANISM, "VFORK");
        }
        int rc = run(argv);
        System.out.flush();
        System.exit(rc);
    }

    static int run(String[] argv) {
        List<String> args = new ArrayList<>(Arrays.asList(argv));
        String called = System.getenv("CADRE_COMMAND");
        // rsh takes ssh's argv, which is the remote command's business, not ours.
        String config = args.isEmpty() || args.get(0).equals("rsh") ? null : takeConfig(args);
        String command = called != null && !called.equals("cadre") ? called : args.isEmpty() ? "help" : args.remove(0);
        if (config == null && !command.equals("rsh")) {
            config = takeConfig(args);
        }
        Clock clock = new LocalClock();
        String help = switch (command) {
            case "up" -> CommandUsage.UP;
            case "server" -> CommandUsage.SERVER;
            case "node" -> CommandUsage.NODE;
            case "watch" -> CommandUsage.WATCH;
            case "service" -> ServiceCommand.USAGE;
            default -> null;
        };
        if (help != null && CommandUsage.asked(args)) {
            System.out.print(help);
            return 0;
        }
        if (command.equals("up") || command.equals("server") || command.equals("node")) {
            ServerCompilation.apply();
        }
        if (SLURM_COMMANDS.contains(command)) {
            SlurmTimeFormat.useEnvironment(System.getenv("SLURM_TIME_FORMAT"), command, System.err);
        }
        try {
            return switch (command) {
                case "up" -> Daemons.head(args, true);
                case "server" -> Daemons.head(args, false);
                case "node" -> Daemons.node(args, config);
                case "sbatch" -> new SlurmCommands(System.out, System.err, config, clock).sbatch(args);
                case "srun" -> new SrunCommand(System.out, System.err, config, System.getenv()).run(args);
                case "salloc" -> new SallocCommand(System.out, System.err, config, System.getenv(), System.in,
                        System.console() != null).run(args);
                case "squeue" -> new SqueueCommand(System.out, System.err, config, clock, System.getenv()).run(args);
                case "sprio" -> new SprioCommand(System.out, System.err, config, clock, System.getenv()).run(args);
                case "sshare" -> new SshareCommand(System.out, System.err, config, System.getenv()).run(args);
                case "scancel" -> new SlurmCommands(System.out, System.err, config, clock).scancel(args);
                case "sacct" -> new SacctCommand(System.out, System.err, config, clock).run(args);
                case "sstat" -> new SstatCommand(System.out, System.err, config).run(args);
                case "sreport" -> new SreportCommand(System.out, System.err, config, clock, System.getenv()).run(args);
                case "sacctmgr" -> new SacctmgrCommand(System.out, System.err, config, clock, System.getenv())
                        .run(args);
                case "seff" -> new SeffCommand(System.out, System.err, config, clock, System.getenv()).run(args);
                case "sbcast" -> new SbcastCommand(System.out, System.err, System.getenv(),
                        System.getProperty("user.dir")).run(args);
                case "sdiag" -> new SdiagCommand(System.out, System.err, config, clock, System.getenv())
                        .run(args, SlurmOperator.is(System.getProperty("user.name"), config));
                case "scontrol" -> new ScontrolCommand(System.out, System.err, config, clock)
                        .run(args, SlurmOperator.is(System.getProperty("user.name"), config));
                case "sinfo" -> new SlurmCommands(System.out, System.err, config, clock).sinfo(args, System.getenv());
                case "watch" -> new WatchCommand(System.out, System.err).run(args, config);
                case "rsh" -> new RshCommand(System.out, System.err, System.getenv()).run(args);
                case "service" -> new ServiceCommand(System.out, System.err, config).run(args);
                case "help", "-h", "--help" -> {
                    System.out.print(USAGE);
                    yield 0;
                }
                default -> {
                    System.err.print("cadre: unknown command '" + command + "'\n" + USAGE);
                    yield 2;
                }
            };
        } catch (LongOptions.UsageException e) {
            System.err.println("cadre " + command + ": " + e.getMessage());
            return 2;
        } catch (Exception | LinkageError e) {
            System.err.println("cadre " + command + ": " + e);
            return 1;
        }
    }

    /** Removes a leading "--config FILE" or "--config=FILE" and returns FILE, or null. */
    private static String takeConfig(List<String> args) {
        if (args.isEmpty() || !(args.get(0).equals("--config") || args.get(0).startsWith("--config="))) {
            return null;
        }
        String first = args.remove(0);
        if (first.startsWith("--config=")) {
            return first.substring("--config=".length());
        }
        return args.isEmpty() ? "" : args.remove(0);
    }
}
