package dev.cadre.cli;

import dev.cadre.cli.slurm.Getopt;
import dev.cadre.cli.slurm.SbatchCommandLine;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.ServiceSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code cadre service create}'s command line, read as sbatch reads its own (Slurm's getopt: "-c2" and "-c 2",
 * "--mem=100" and "--mem 100", values taken as they are, never read as options), into a service spec. The
 * command follows {@code --}, or the first word that is no option. The options that shape an instance are handed
 * to sbatch's own parser, so that their values mean what they mean to sbatch ({@code --mem 1G}, {@code -t 1-0},
 * {@code -w n[1-3]}, {@code --gres gpu:2}, {@code -N 2-4}) and are refused with sbatch's words.
 */
final class ServiceCreateLine {
    private static final String COMMAND = "cadre service create";
    /** The options given to sbatch as they are, by long name; --exclusive is a flag here, as sbatch's plain form. */
    private static final List<Getopt.Option> SBATCH_OPTIONS = List.of(Getopt.Option.value("cpus-per-task", 'c'),
            Getopt.Option.value("ntasks", 'n'), Getopt.Option.value("nodes", 'N'),
            Getopt.Option.value("ntasks-per-node", (char) 0), Getopt.Option.value("mem", (char) 0),
            Getopt.Option.value("mem-per-cpu", (char) 0), Getopt.Option.value("gpus-per-task", (char) 0),
            Getopt.Option.value("gpus", 'G'), Getopt.Option.value("gres", (char) 0),
            Getopt.Option.value("nodelist", 'w'), Getopt.Option.value("exclude", 'x'),
            Getopt.Option.flag("exclusive", (char) 0), Getopt.Option.value("time", 't'));
    private static final List<Getopt.Option> OPTIONS = options();

    private static List<Getopt.Option> options() {
        List<Getopt.Option> all = new ArrayList<>(List.of(Getopt.Option.value("name", (char) 0),
                Getopt.Option.value("replicas", (char) 0), Getopt.Option.value("chdir", 'D'),
                Getopt.Option.value("output", 'o'), Getopt.Option.value("max-failures", (char) 0)));
        all.addAll(SBATCH_OPTIONS);
        return List.copyOf(all);
    }

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
        String cwd = Path.of("").toAbsolutePath().toString();
        // As sbatch sends -D: made absolute here, where "." is the caller's directory; the head takes no other.
        String dir = o.has("chdir") ? SbatchCommandLine.absolute(cwd, o.last("chdir")) : cwd;
        JobSpec sized = sbatchSized(o, dir);
        JobSpec.Builder template = JobSpec.builder().name(name).user(System.getProperty("user.name"))
                .script("#!/bin/sh\nexec \"$@\"\n").args(List.copyOf(o.operands())).workDir(dir)
                .stdout(o.has("output") ? o.last("output") : "%x-%j.out").environment(env)
                .submitHost(SubmitHost.name()).cpusPerTask(sized.cpusPerTask()).tasks(sized.tasks())
                .nodes(sized.nodes()).tasksPerNode(sized.tasksPerNode()).gpusPerTask(sized.gpusPerTask())
                .gpuType(sized.gpuType())
                .memoryMb(sized.memoryMb()).memoryPerCpuMb(sized.memoryPerCpuMb()).nodelist(sized.nodelist())
                .exclude(sized.exclude()).exclusive(sized.exclusive()).timeLimitSeconds(sized.timeLimitSeconds());
        return new ServiceSpec(name, integer(o, "replicas", 0, ServiceSpec.MAX_REPLICAS), template.build(),
                integer(o, "max-failures", 1, ServiceSpec.MAX_FAILURE_BUDGET));
    }

    /**
     * The instance's shape as sbatch reads the same options: each given as "--option=value", so that a value is
     * never taken for an option there either.
     */
    private static JobSpec sbatchSized(Getopt.Parsed o, String dir) throws SlurmUsageException {
        List<String> argv = new ArrayList<>();
        for (Getopt.Option option : SBATCH_OPTIONS) {
            String longName = option.longName();
            if (o.has(longName)) {
                argv.add(option.arity() != Getopt.Arity.NONE ? "--" + longName + "=" + o.last(longName) : "--" + longName);
            }
        }
        argv.add("--wrap=true");
        return SbatchCommandLine.parse(argv, path -> "", Map.of(), dir, "", "", Clock.systemUTC()).spec();
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
