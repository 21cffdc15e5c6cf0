package dev.cadre.cli;

import dev.cadre.cli.slurm.CommandOptions;
import dev.cadre.cli.slurm.Getopt;
import dev.cadre.cli.slurm.ScontrolKeywords;
import dev.cadre.cli.slurm.ScontrolPartition;
import dev.cadre.cli.slurm.ScontrolReservation;
import dev.cadre.cli.slurm.SlurmClusters;
import dev.cadre.cli.slurm.SlurmJobId;
import dev.cadre.cli.slurm.SlurmUsageException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * scontrol over the REST API: hold, uhold, release, requeue, requeuehold, suspend, resume, top, update (jobs,
 * nodes' DRAIN|RESUME and reservations), create reservation, delete (nodes and reservations), show (one record a
 * line with -o), write batch_script, ping and wait_job, each command word read as scontrol reads it
 * ({@link ScontrolKeywords}); the commands Cadre leaves out are refused by name. Refusals are worded as scontrol
 * words them ("Job is no longer pending execution for job 12") and make the exit code 1; the other jobs of the
 * command are still tried.
 */
final class ScontrolCommand {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Clock clock;
    private final int jobPage;
    private boolean oneLiner;
    /** -d: show job adds the CPUs each job holds on each node. */
    private boolean details;
    private Map<String, String> env = Map.of();
    private Duration patience = PatientControl.PATIENCE;

    private static final String USAGE = """
            Usage: scontrol [-a] [-d] [-o] [-h] [-V] COMMAND
              hold|uhold|release|requeue|requeuehold JOBID[,JOBID...]   (JOBID: 12, 12_3, 12_[1-5,9])
              suspend|resume JOBID[,JOBID...]       (root or the head's owner)
              top JOBID[,JOBID...]                  (first to run first; see --enable-user-top)
              update JobId=JOBID [TimeLimit=] [Priority=] [Nice=] [JobName=]
              update NodeName=NODES State=DRAIN Reason=TEXT | State=RESUME
              delete NodeName=NODES                 (forget DOWN nodes)
              create reservation ReservationName=NAME StartTime=now|TIME Duration=MIN|[D-]HH:MM:SS|UNLIMITED
                     (or EndTime=TIME) Nodes=LIST|ALL Users=U[,U...] [Flags=MAINT,OVERLAP,IGNORE_JOBS]
              update ReservationName=NAME [StartTime=] [EndTime=] [Duration=] [Nodes=] [Users=]
              delete ReservationName=NAME           (create, update and delete: root or the head's owner)
              create PartitionName=NAME Nodes=LIST|ALL [Default=YES|NO] [MaxTime=] [DefaultTime=]
                     [State=UP|DOWN|DRAIN|INACTIVE]
              update PartitionName=NAME [Nodes=] [Default=YES] [MaxTime=] [DefaultTime=] [State=]
              delete PartitionName=NAME             (create, update and delete: root or the head's owner)
              show job [JOBID] | show node [NAMES] | show partition [NAME] | show reservation [NAME]
              show hostnames [HOSTLIST] | show hostlist|hostlistsorted NAMES|/FILE
              write batch_script JOBID [FILE|-]     (default FILE: slurm-JOBID.sh)
              wait_job JOBID                        (until the job runs or ends)
              ping | help | version
            """;

    /** -a and --hide are no-ops: Cadre's partitions are never hidden. */
    private static final Getopt OPTIONS = new Getopt("scontrol", List.of(Getopt.Option.flag("all", 'a'),
            Getopt.Option.value("clusters", 'M'), Getopt.Option.value("clusters", 'M').alias("cluster"),
            Getopt.Option.flag("details", 'd'), Getopt.Option.flag("help", 'h'), Getopt.Option.flag("hide", (char) 0),
            Getopt.Option.flag("oneliner", 'o'), Getopt.Option.flag("quiet", 'Q'),
            Getopt.Option.flag("version", 'V')));

    ScontrolCommand(PrintStream out, PrintStream err, String config, Clock clock) {
        this(out, err, config, clock, RestClient.JOB_PAGE);
    }

    /** @param jobPage jobs per page read from the API: smaller in tests, to see the pages followed */
    ScontrolCommand(PrintStream out, PrintStream err, String config, Clock clock, int jobPage) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.clock = clock;
        this.jobPage = jobPage;
    }

    /** How long a change the head leaves unanswered is sent again ({@link PatientControl}); shorter in tests. */
    ScontrolCommand patience(Duration patience) {
        this.patience = patience;
        return this;
    }

    /**
     * @param root the caller is an operator ({@link SlurmOperator}): hold and release then act as an
     *        administrator's, and it may drain nodes and set priorities
     */
    int run(List<String> args, boolean root) {
        return run(args, root, System.getenv());
    }

    /** @param env where show hostnames finds the job's nodes when it is given none */
    int run(List<String> all, boolean root, Map<String, String> env) {
        List<String> args;
        try {
            Getopt.Parsed parsed = OPTIONS.parse(all);
            String clusters = parsed.has("clusters") ? SlurmClusters.refusal(parsed.last("clusters"), env) : null;
            if (clusters != null) {
                err.println("scontrol: error: " + clusters);
                return 1;
            }
            if (parsed.has("quiet")) {
                err.println("scontrol: error: --quiet is not supported by this Cadre version");
                return 1;
            }
            if (parsed.uses().stream().filter(u -> u.key().equals("details")).count() > 1) {
                err.println("scontrol: error: -dd (each batch script after its job) is not supported by this Cadre"
                        + " version; use -d, and scontrol write batch_script JOBID for the script");
                return 1;
            }
            details = parsed.has("details");
            if (parsed.has("help") || parsed.has("version")) {
                out.print(parsed.has("help") ? USAGE : CommandOptions.VERSION);
                return 0;
            }
            oneLiner = parsed.has("oneliner");
            args = parsed.operands();
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return e.exitCode();
        }
        this.env = env;
        if (args.isEmpty()) {
            err.println("scontrol: error: no command given (the interactive mode is not supported by this Cadre"
                    + " version)");
            return 1;
        }
        String typed = args.get(0);
        String command = ScontrolKeywords.command(typed);
        List<String> rest = args.subList(1, args.size());
        if (command != null && ScontrolKeywords.refusal(command) != null) {
            err.println(ScontrolKeywords.refusal(command));
            return 1;
        }
        try {
            return switch (command == null ? "" : command) {
                case "hold" -> control(typed, rest, "hold", Map.of("admin", root));
                case "uhold" -> control(typed, rest, "hold", Map.of("admin", false));
                case "release" -> control(typed, rest, "release", Map.of("admin", root));
                case "requeue" -> control(typed, rest, "requeue", Map.of("hold", false));
                case "requeuehold" -> control(typed, rest, "requeue", Map.of("hold", true));
                case "suspend", "resume" -> new ScontrolSuspend(err, config, patience).run(typed, rest, command, root);
                case "top" -> new ScontrolTop(err, config, patience).run(typed, rest, System.getProperty("user.name"),
                        root);
                case "create" -> create(rest, root);
                case "update" -> ScontrolReservation.namesReservation(rest) ? reservations().update(rest, root)
                        : ScontrolPartition.namesPartition(rest) ? partitions().update(rest, root)
                        : new ScontrolUpdateCommand(err, config, patience).run(rest, root);
                case "delete" -> names(rest, "ReservationName") ? reservations().delete(rest.get(0), deleted(rest),
                        root) : names(rest, "PartitionName") ? partitions().delete(rest.get(0), deleted(rest), root)
                        : new ScontrolDelete(err, config, patience).run(rest, root);
                case "show" -> show(typed, rest);
                case "write" -> new ScontrolBatchScript(out, err, config, Path.of("").toAbsolutePath()).run(rest);
                case "ping" -> new ScontrolPing(out, config).run(typed, rest, err);
                case "wait_job" -> new ScontrolWaitJob(err, config, patience, Patience.SYSTEM_TIME).run(typed, rest);
                case "help", "version" -> {
                    out.print(command.equals("help") ? USAGE : CommandOptions.VERSION);
                    yield 0;
                }
                // Settings of scontrol's interactive mode: nothing to do for one command.
                case "all", "details", "exit", "hide", "oneliner", "quiet", "quit", "verbose" -> 0;
                default -> {
                    err.println("invalid keyword: " + typed);
                    yield 1;
                }
            };
        } catch (RestClient.ClientException e) {
            err.println("scontrol: error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private ScontrolPartitions partitions() {
        return new ScontrolPartitions(out, err, config, patience);
    }

    private ScontrolReservations reservations() {
        return new ScontrolReservations(out, err, config, clock, patience);
    }

    /**
     * create ReservationName=X ... (or create reservation ...) and create PartitionName=X ... (or create partition
     * ...), as _create_it; Cadre creates no nodes: a node joins by starting 'cadre node'.
     */
    private int create(List<String> args, boolean root) throws RestClient.ClientException {
        if (args.isEmpty()) {
            err.println("too few arguments for keyword:create");
            return 1;
        }
        String tag = args.get(0).contains("=") ? args.get(0).substring(0, args.get(0).indexOf('=')) : args.get(0);
        if (ScontrolReservation.is(tag, "PartitionName", 3)) {
            return partitions().create(args, root);
        }
        if (!ScontrolReservation.is(tag, "ReservationName", 3)) {
            err.println("scontrol: error: Invalid creation entity: " + args.get(0) + " (this Cadre version creates"
                    + " reservations and partitions only: a node joins by starting 'cadre node')");
            return 1;
        }
        return reservations().create(args, root);
    }

    /**
     * Whether delete's words name a reservation or a partition (tag ReservationName or PartitionName): TAG=X, or the
     * word and the name, as _delete_it.
     */
    private static boolean names(List<String> args, String tag) {
        if (args.isEmpty()) {
            return false;
        }
        String first = args.get(0);
        int eq = first.indexOf('=');
        return eq < 0 ? args.size() == 2 && ScontrolReservation.is(first, tag, 3)
                : ScontrolReservation.is(first.substring(0, eq), tag, 3);
    }

    /** The name delete's words give: X of TAG=X, or the word after the entity's. */
    private static String deleted(List<String> args) {
        return args.get(0).contains("=") ? args.get(0).substring(args.get(0).indexOf('=') + 1) : args.get(1);
    }

    private int control(String command, List<String> args, String action, Map<String, Object> body)
            throws RestClient.ClientException {
        if (args.isEmpty()) {
            err.println("too few arguments for keyword:" + command);
            return 1;
        }
        PatientControl rest = PatientControl.over(RestClient.fromConfig(config), err, "scontrol", patience);
        List<SlurmJobId> named = new ArrayList<>();
        int rc = ScontrolJobRequests.named(err, args, named);
        // Several tasks of one array are one request, as scancel sends them.
        return rc | ScontrolTaskLists.post(err, rest, named, action, body);
    }

    /**
     * show ENTITY [VALUE], or ENTITY=VALUE, the entity named as scontrol names it ("j", "nodes", "part"): jobs here,
     * the others in {@link ScontrolShowCommand}.
     */
    private int show(String keyword, List<String> args) throws RestClient.ClientException {
        if (args.size() != 1 && args.size() != 2) {
            err.println("too " + (args.isEmpty() ? "few" : "many") + " arguments for keyword:" + keyword);
            return 1;
        }
        String tag = args.get(0);
        String value = args.size() > 1 ? args.get(1) : null;
        int equals = tag.indexOf('=');
        if (equals >= 0) {
            value = tag.substring(equals + 1);
            tag = tag.substring(0, equals);
        }
        String entity = ScontrolKeywords.entity(tag);
        if (entity == null) {
            err.println("invalid entity:" + tag + " for keyword:" + keyword + " ");
            return 1;
        }
        ScontrolShowCommand shown = new ScontrolShowCommand(out, err, config, oneLiner);
        switch (entity) {
            case "job":
                return new ScontrolShowJobs(out, err, config, clock, jobPage, oneLiner, details).show(value);
            case "node":
                return shown.nodes(value, clock.getZone());
            case "partition":
                return partitions().show(value, oneLiner);
            case "reservation":
                return reservations().show(value, oneLiner);
            case "hostnames":
                return shown.hostnames(value, env);
            case "hostlist", "hostlistsorted":
                if (value == null) {
                    err.println("invalid encode argument");
                    out.print(USAGE);
                    return 1;
                }
                return shown.hostlist(value, entity.equals("hostlistsorted"));
            default:
                err.println("scontrol: error: show " + tag + " is not supported by this Cadre version; use show job,"
                        + " node, partition, reservation, hostnames, hostlist or hostlistsorted");
                return 1;
        }
    }
}
