package dev.cadre.cli;

import dev.cadre.cli.slurm.Getopt;
import dev.cadre.cli.slurm.SlurmTime;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.ServiceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code cadre service create}'s command line, read as sbatch reads its own (Slurm's getopt: "-c2" and "-c 2",
 * "--mem=100" and "--mem 100", values taken as they are, never read as options), into a service spec. The
 * command follows {@code --}, or the first word that is no option.
 */
final class ServiceCreateLine {
    private static final String COMMAND = "cadre service create";
    private static final List<Getopt.Option> OPTIONS = List.of(Getopt.Option.value("name", (char) 0),
            Getopt.Option.value("replicas", (char) 0), Getopt.Option.value("cpus-per-task", 'c'),
            Getopt.Option.value("ntasks", 'n'), Getopt.Option.value("nodes", 'N'), Getopt.Option.value("mem", (char) 0),
            Getopt.Option.value("gpus-per-task", (char) 0), Getopt.Option.value("nodelist", 'w'),
            Getopt.Option.value("exclude", 'x'), Getopt.Option.flag("exclusive", (char) 0),
            Getopt.Option.value("time", 't'), Getopt.Option.value("chdir", 'D'), Getopt.Option.value("output", 'o'),
            Getopt.Option.value("max-failures", (char) 0));

    private ServiceCreateLine() {
    }

    /** @param env the environment instances run with, as sbatch passes the submitter's */
    static ServiceSpec parse(List<String> args, Map<String, String> env) throws LongOptions.UsageException,
            SlurmUsageException {
        Getopt.Parsed o;
        try {
            o = new Getopt(COMMAND, OPTIONS, true).parse(args);
        } catch (SlurmUsageException e) {
            // Getopt's first line names the command; ServiceCommand names it once already.
            throw new LongOptions.UsageException(e.lines().get(0).substring(COMMAND.length() + 2));
        }
        if (o.operands().isEmpty()) {
            throw new LongOptions.UsageException("give the command after --");
        }
        String name = o.last("name");
        if (name == null || o.last("replicas") == null) {
            throw new LongOptions.UsageException("--name and --replicas are required");
        }
        ServiceCommand.checkName(name);
        String dir = o.has("chdir") ? o.last("chdir") : Path.of("").toAbsolutePath().toString();
        JobSpec.Builder template = JobSpec.builder().name(name).user(System.getProperty("user.name"))
                .script("#!/bin/sh\nexec \"$@\"\n").args(List.copyOf(o.operands())).workDir(dir)
                .stdout(o.has("output") ? o.last("output") : "%x-%j.out").environment(env)
                .submitHost(SubmitHost.name()).cpusPerTask(integer(o, "cpus-per-task", 1, 4096))
                .tasks(integer(o, "ntasks", 1, 1_000_000)).nodes(integer(o, "nodes", 1, 10_000))
                .gpusPerTask(integer(o, "gpus-per-task", 0, 64));
        Integer mem = integer(o, "mem", 1, Integer.MAX_VALUE);
        if (mem != null) {
            template.memoryMb((long) mem);
        }
        if (o.has("nodelist")) {
            template.nodelist(List.of(o.last("nodelist")));
        }
        if (o.has("exclude")) {
            template.exclude(List.of(o.last("exclude")));
        }
        if (o.has("exclusive")) {
            template.exclusive(true);
        }
        if (o.has("time")) {
            template.timeLimitSeconds(SlurmTime.parseTimeLimit(o.last("time")));
        }
        return new ServiceSpec(name, integer(o, "replicas", 0, ServiceSpec.MAX_REPLICAS), template.build(),
                integer(o, "max-failures", 1, ServiceSpec.MAX_FAILURE_BUDGET));
    }

    private static Integer integer(Getopt.Parsed o, String option, int min, int max)
            throws LongOptions.UsageException {
        String v = o.last(option);
        if (v == null) {
            return null;
        }
        return LongOptions.wholeNumber(option, v, min, max);
    }
}
