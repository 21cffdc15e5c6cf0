package dev.cadre.cli;

import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.ServiceSpec;
import dev.cadre.protocol.ServiceValidator;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code cadre service create|update|delete|list|show}: standing services over the REST API. An instance runs the
 * command given after {@code --}, in the current directory with the current environment, as sbatch --wrap
 * would. A name is checked here as the scheduler checks it, before it goes into a request's path.
 */
final class ServiceCommand {
    static final String USAGE = """
            usage: cadre service create --name NAME --replicas N [-c CPUS] [-n TASKS] [-N NODES] [--mem SIZE]
                                        [--ntasks-per-node N] [--mem-per-cpu SIZE] [--gpus-per-task N] [-G N]
                                        [--gres gpu:N] [-w HOSTS] [-x HOSTS] [--exclusive] [-t TIME]
                                        [-D DIR] [-o PATTERN] [--max-failures N] -- COMMAND [ARG...]
                   cadre service update NAME [--replicas N] [--max-failures N] [--reset]
                   cadre service delete NAME [--wait [--timeout SECONDS]]
                   cadre service list
                   cadre service show NAME
            """;
    /** How long delete --wait waits by default: a kill grace, or a node timeout for an unreachable node, and more. */
    static final int DEFAULT_DELETE_WAIT_SECONDS = 120;
    private static final Duration POLL = Duration.ofMillis(200);

    private final PrintStream out;
    private final PrintStream err;
    private final String config;

    ServiceCommand(PrintStream out, PrintStream err, String config) {
        this.out = out;
        this.err = err;
        this.config = config;
    }

    int run(List<String> args) {
        if (args.isEmpty()) {
            err.print(USAGE);
            return 2;
        }
        try {
            return switch (args.get(0)) {
                case "create" -> create(args.subList(1, args.size()));
                case "update" -> update(args.subList(1, args.size()));
                case "delete" -> delete(args.subList(1, args.size()));
                case "list" -> list();
                case "show" -> show(args.subList(1, args.size()));
                default -> {
                    err.print("cadre service: unknown action '" + args.get(0) + "'\n" + USAGE);
                    yield 2;
                }
            };
        } catch (LongOptions.UsageException | SlurmUsageException e) {
            err.println("cadre service: " + e.getMessage());
            return 2;
        } catch (RestClient.ClientException e) {
            err.println("cadre service: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int create(List<String> args) throws LongOptions.UsageException, SlurmUsageException,
            RestClient.ClientException {
        ServiceSpec spec = ServiceCreateLine.parse(args, System.getenv());
        // A name already taken is refused (409), with the service's state and what to do instead.
        Json reply = RestClient.fromConfig(config).post("/api/services", spec);
        out.println("Created service " + reply.path("name").asText(spec.name()) + " (" + spec.replicas()
                + (spec.replicas() == 1 ? " replica)" : " replicas)"));
        return 0;
    }

    /** Like scontrol update and kubectl scale: scaling down cancels the newest instances. */
    private int update(List<String> args) throws LongOptions.UsageException, RestClient.ClientException {
        if (args.isEmpty() || args.get(0).startsWith("-")) {
            throw new LongOptions.UsageException("update takes a service name, then --replicas N,"
                    + " --max-failures N or --reset");
        }
        String name = checkName(args.get(0));
        LongOptions o = new LongOptions(args.subList(1, args.size()), Set.of("replicas", "max-failures"),
                Set.of("reset"));
        Integer replicas = o.integer("replicas", null, 0, ServiceSpec.MAX_REPLICAS);
        Integer budget = o.integer("max-failures", null, 1, ServiceSpec.MAX_FAILURE_BUDGET);
        if (replicas == null && budget == null && !o.flag("reset")) {
            throw new LongOptions.UsageException("give --replicas N, --max-failures N, --reset or several");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (replicas != null) {
            body.put("replicas", replicas);
        }
        if (budget != null) {
            body.put("maxConsecutiveFailures", budget);
        }
        if (o.flag("reset")) {
            body.put("reset", true);
        }
        Json reply = RestClient.fromConfig(config).post(path(name), body);
        out.println("Updated service " + name + (replicas == null ? "" : " to " + replicas
                + (replicas == 1 ? " replica" : " replicas")) + (o.flag("reset") ? ", failure count reset" : "")
                + " (" + reply.path("state").asText() + ")");
        return 0;
    }

    private int delete(List<String> args) throws LongOptions.UsageException, RestClient.ClientException,
            InterruptedException {
        if (args.isEmpty() || args.get(0).startsWith("-")) {
            throw new LongOptions.UsageException("delete takes one service name, then --wait [--timeout SECONDS]");
        }
        String name = checkName(args.get(0));
        LongOptions o = new LongOptions(args.subList(1, args.size()), Set.of("timeout"), Set.of("wait"));
        int timeout = o.integer("timeout", DEFAULT_DELETE_WAIT_SECONDS, 1, 86_400);
        if (o.get("timeout", null) != null && !o.flag("wait")) {
            throw new LongOptions.UsageException("--timeout goes with --wait");
        }
        RestClient rest = RestClient.fromConfig(config);
        rest.delete(path(name));
        if (!o.flag("wait")) {
            out.println("Deleting service " + name + ": its instances are being stopped");
            return 0;
        }
        Instant deadline = Instant.now().plusSeconds(timeout);
        int left = -1;
        while (true) {
            try {
                left = rest.get(path(name)).path("instances").size();
            } catch (RestClient.ClientException e) {
                if (e.status == 404) {
                    out.println("Deleted service " + name);
                    return 0;
                }
                throw e;
            }
            if (!Instant.now().isBefore(deadline)) {
                err.println("cadre service: service " + name + " is still being deleted after " + timeout + " s: "
                        + left + (left == 1 ? " instance is" : " instances are") + " still stopping (a node that"
                        + " stopped answering gives its instances up after the node timeout)");
                return 1;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** The name, or a usage error saying what is wrong with it, in the words the scheduler would use. */
    static String checkName(String name) throws LongOptions.UsageException {
        var problem = ServiceValidator.name(name);
        if (problem.isPresent()) {
            throw new LongOptions.UsageException("service name " + problem.get().message());
        }
        return name;
    }

    /** A valid name needs no escaping; it is percent-encoded all the same, so no name can change the path. */
    private static String path(String name) {
        return "/api/services/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private int list() throws RestClient.ClientException {
        Json services = RestClient.fromConfig(config).get("/api/services");
        out.printf("%-20s %8s %8s %8s %9s %-9s %-19s %s%n", "NAME", "REPLICAS", "RUNNING", "PENDING", "FAILURES",
                "STATE", "NEXT", "LAST_ERROR");
        Instant now = Instant.now();
        for (Json s : services) {
            out.printf("%-20s %8d %8d %8d %9s %-9s %-19s %s%n", s.path("name").asText(), s.path("replicas").asInt(),
                    s.path("running").asInt(), s.path("pending").asInt(), failures(s), s.path("state").asText(),
                    next(s, now), text(s, "lastError"));
        }
        return 0;
    }

    /** One service: its record as list shows it, then its instances as squeue would. */
    private int show(List<String> args) throws LongOptions.UsageException, RestClient.ClientException {
        if (args.size() != 1) {
            throw new LongOptions.UsageException("show takes one service name");
        }
        Json s = RestClient.fromConfig(config).get(path(checkName(args.get(0))));
        out.println("Name=" + s.path("name").asText() + " State=" + s.path("state").asText() + " Replicas="
                + s.path("replicas").asInt() + " Running=" + s.path("running").asInt() + " Pending="
                + s.path("pending").asInt());
        out.println("   Failures=" + failures(s) + " NodeFailures=" + s.path("nodeFailures").asInt() + "/"
                + s.path("nodeFailureBudget").asInt() + " NextAttempt=" + next(s, Instant.now()));
        out.println("   LastError=" + (text(s, "lastError").isEmpty() ? "(null)" : text(s, "lastError")));
        out.printf("%-10s %-10s %-10s %-19s %s%n", "JOBID", "STATE", "REASON", "START_TIME", "NODELIST");
        for (Json j : s.path("instances")) {
            out.printf("%-10s %-10s %-10s %-19s %s%n", j.path("displayId").asText(), j.path("state").asText(),
                    text(j, "reason"), localTime(text(j, "startTime")), text(j, "nodeList"));
        }
        return 0;
    }

    /** "3/10": failure rounds in a row of the budget, the default budget included. */
    private static String failures(Json s) {
        return s.path("consecutiveFailures").asInt() + "/" + s.path("failureBudget").asInt();
    }

    /** When the next instance may be placed, while that is still ahead; "-" for at once. */
    private static String next(Json s, Instant now) {
        String at = text(s, "nextAttempt");
        return at.isEmpty() || !Instant.parse(at).isAfter(now) ? "-" : localTime(at);
    }

    private static String localTime(String iso) {
        return iso.isEmpty() ? "-" : LocalDateTime.ofInstant(Instant.parse(iso), ZoneId.systemDefault())
                .truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    }

    private static String text(Json j, String field) {
        return j.path(field).isNull() || j.path(field).isMissing() ? "" : j.path(field).asText();
    }
}
