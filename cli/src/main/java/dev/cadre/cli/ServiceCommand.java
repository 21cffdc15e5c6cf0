package dev.cadre.cli;

import dev.cadre.cli.wire.Json;
import dev.cadre.cli.slurm.SlurmTime;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.ServiceSpec;
import dev.cadre.protocol.ServiceValidator;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code cadre service create|update|delete|list}: standing services over the REST API. An instance runs the
 * command given after {@code --}, in the current directory with the current environment, as sbatch --wrap
 * would. A name is checked here as the scheduler checks it, before it goes into a request's path.
 */
final class ServiceCommand {
    static final String USAGE = """
            usage: cadre service create --name NAME --replicas N [-c CPUS] [-n TASKS] [-N NODES] [--mem MB]
                                        [--gpus-per-task N] [-w HOSTS] [-x HOSTS] [--exclusive] [-t TIME]
                                        [-D DIR] [-o PATTERN] [--max-failures N] -- COMMAND [ARG...]
                   cadre service update NAME [--replicas N] [--max-failures N]
                   cadre service delete NAME
                   cadre service list
            """;
    private static final Set<String> WITH_VALUE = Set.of("name", "replicas", "cpus-per-task", "ntasks", "nodes",
            "mem", "gpus-per-task", "nodelist", "exclude", "time", "chdir", "output", "max-failures");

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
        }
    }

    private int create(List<String> args) throws LongOptions.UsageException, SlurmUsageException,
            RestClient.ClientException {
        int dashes = args.indexOf("--");
        if (dashes < 0 || dashes == args.size() - 1) {
            throw new LongOptions.UsageException("give the command after --");
        }
        List<String> options = new ArrayList<>();
        for (String a : args.subList(0, dashes)) {
            options.add(shortToLong(a));
        }
        LongOptions o = new LongOptions(options, WITH_VALUE, Set.of("exclusive"));
        String name = o.get("name", null);
        if (name == null || o.get("replicas", null) == null) {
            throw new LongOptions.UsageException("--name and --replicas are required");
        }
        checkName(name);
        String dir = o.get("chdir", Path.of("").toAbsolutePath().toString());
        JobSpec.Builder template = JobSpec.builder().name(name).user(System.getProperty("user.name"))
                .script("#!/bin/sh\nexec \"$@\"\n").args(List.copyOf(args.subList(dashes + 1, args.size())))
                .workDir(dir).stdout(o.get("output", "%x-%j.out")).environment(System.getenv())
                .submitHost(SubmitHost.name()).cpusPerTask(o.integer("cpus-per-task", null, 1, 4096))
                .tasks(o.integer("ntasks", null, 1, 1_000_000)).nodes(o.integer("nodes", null, 1, 10_000))
                .gpusPerTask(o.integer("gpus-per-task", null, 0, 64));
        if (o.get("mem", null) != null) {
            template.memoryMb((long) o.integer("mem", null, 1, Integer.MAX_VALUE));
        }
        if (o.get("nodelist", null) != null) {
            template.nodelist(List.of(o.get("nodelist", null)));
        }
        if (o.get("exclude", null) != null) {
            template.exclude(List.of(o.get("exclude", null)));
        }
        if (o.flag("exclusive")) {
            template.exclusive(true);
        }
        if (o.get("time", null) != null) {
            template.timeLimitSeconds(SlurmTime.parseTimeLimit(o.get("time", null)));
        }
        ServiceSpec spec = new ServiceSpec(name, o.integer("replicas", null, 0, ServiceSpec.MAX_REPLICAS),
                template.build(), o.integer("max-failures", null, 1, ServiceSpec.MAX_FAILURE_BUDGET));
        Json reply = RestClient.fromConfig(config).post("/api/services", spec);
        out.println("Created service " + reply.path("name").asText(name) + " (" + spec.replicas()
                + (spec.replicas() == 1 ? " replica)" : " replicas)"));
        return 0;
    }

    private static String shortToLong(String a) {
        return switch (a) {
            case "-c" -> "--cpus-per-task";
            case "-n" -> "--ntasks";
            case "-N" -> "--nodes";
            case "-w" -> "--nodelist";
            case "-x" -> "--exclude";
            case "-t" -> "--time";
            case "-D" -> "--chdir";
            case "-o" -> "--output";
            default -> a;
        };
    }

    /** Like scontrol update and kubectl scale: scaling down cancels the newest instances. */
    private int update(List<String> args) throws LongOptions.UsageException, RestClient.ClientException {
        if (args.isEmpty() || args.get(0).startsWith("-")) {
            throw new LongOptions.UsageException("update takes a service name, then --replicas N or"
                    + " --max-failures N");
        }
        String name = checkName(args.get(0));
        LongOptions o = new LongOptions(args.subList(1, args.size()), Set.of("replicas", "max-failures"), Set.of());
        Integer replicas = o.integer("replicas", null, 0, ServiceSpec.MAX_REPLICAS);
        Integer budget = o.integer("max-failures", null, 1, ServiceSpec.MAX_FAILURE_BUDGET);
        if (replicas == null && budget == null) {
            throw new LongOptions.UsageException("give --replicas N, --max-failures N or both");
        }
        Map<String, Integer> body = new LinkedHashMap<>();
        if (replicas != null) {
            body.put("replicas", replicas);
        }
        if (budget != null) {
            body.put("maxConsecutiveFailures", budget);
        }
        Json reply = RestClient.fromConfig(config).post(path(name), body);
        out.println("Updated service " + name + (replicas == null ? "" : " to " + replicas
                + (replicas == 1 ? " replica" : " replicas")) + " (" + reply.path("state").asText() + ")");
        return 0;
    }

    private int delete(List<String> args) throws LongOptions.UsageException, RestClient.ClientException {
        if (args.size() != 1) {
            throw new LongOptions.UsageException("delete takes one service name");
        }
        String name = checkName(args.get(0));
        RestClient.fromConfig(config).delete(path(name));
        out.println("Deleting service " + name + ": its instances are being stopped");
        return 0;
    }

    /** The name, or a usage error saying what is wrong with it, in the words the scheduler would use. */
    private static String checkName(String name) throws LongOptions.UsageException {
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
        out.printf("%-20s %8s %8s %8s %-9s %s%n", "NAME", "REPLICAS", "RUNNING", "FAILURES", "STATE", "LAST_ERROR");
        for (Json s : services) {
            out.printf("%-20s %8d %8d %8d %-9s %s%n", s.path("name").asText(), s.path("replicas").asInt(),
                    s.path("running").asInt(), s.path("consecutiveFailures").asInt(), s.path("state").asText(),
                    s.path("lastError").isNull() || s.path("lastError").isMissing() ? ""
                            : s.path("lastError").asText());
        }
        return 0;
    }
}
