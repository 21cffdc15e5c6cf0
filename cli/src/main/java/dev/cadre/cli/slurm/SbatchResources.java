package dev.cadre.cli.slurm;

import dev.cadre.protocol.JobSpec;
import java.util.Locale;
import java.util.Set;

/**
 * sbatch's memory and GPU options, which Slurm counts per node, per CPU, per job or per task, turned into
 * Cadre's two figures: memory per node and GPUs per task. They are resolved once every option is read, since
 * what a per-CPU or per-job figure comes to depends on the tasks, CPUs and nodes asked for.
 */
final class SbatchResources {
    static final Set<String> OPTIONS = Set.of("mem", "mem-per-cpu", "gres", "gpus", "gpus-per-task");

    private Long memPerNode;
    private Long memPerCpu;
    private Integer gpusPerNode;
    private Integer gpusPerJob;
    private Integer gpusPerTask;
    /** The option that set the GPU count last: the command line overrides the script, whichever form it uses. */
    private String gpuOption;

    /** @param warn takes a warning line for stderr */
    void apply(String option, String value, java.util.function.Consumer<String> warn) throws SlurmUsageException {
        switch (option) {
            case "mem" -> {
                memPerNode = megabytes("--mem", value);
                memPerCpu = null;
            }
            case "mem-per-cpu" -> {
                memPerCpu = megabytes("--mem-per-cpu", value);
                memPerNode = null;
            }
            case "gres" -> {
                gpusPerNode = gres(value);
                gpuOption = "--gres=" + value;
            }
            case "gpus" -> {
                gpusPerJob = gpuCount("--gpus", value, warn);
                gpuOption = "--gpus=" + value;
            }
            case "gpus-per-task" -> {
                gpusPerTask = gpuCount("--gpus-per-task", value, warn);
                gpuOption = "--gpus-per-task=" + value;
            }
            default -> throw new IllegalStateException("not a resource option: " + option);
        }
    }

    /** Sets the job's memory per node and GPUs per task from what was asked for. */
    void resolve(JobSpec.Builder job, JobSpec sized) throws SlurmUsageException {
        int tasks = sized.taskCount();
        int cpusPerTask = sized.cpusPerTaskOrOne();
        int tasksPerNode = tasksPerNode(sized);
        if (memPerNode != null) {
            job.memoryMb(memPerNode);
        } else if (memPerCpu != null) {
            job.memoryMb(Math.multiplyExact(memPerCpu, (long) cpusPerTask * tasksPerNode));
        }
        if (gpuOption == null) {
            return;
        }
        if (gpuOption.startsWith("--gpus-per-task")) {
            job.gpusPerTask(gpusPerTask);
        } else if (gpuOption.startsWith("--gpus=")) {
            job.gpusPerTask(split(gpusPerJob, tasks, "job's " + tasks + " task(s)"));
        } else {
            job.gpusPerTask(split(gpusPerNode, tasksPerNode, tasksPerNode + " task(s) on each node"));
        }
    }

    /**
     * The most tasks any node runs: --ntasks-per-node, else the tasks spread over -N nodes, else all of them (the
     * job may land on one node).
     */
    private static int tasksPerNode(JobSpec s) {
        if (s.tasksPerNode() != null) {
            return s.tasksPerNode();
        }
        int nodes = s.nodeCount();
        return (s.taskCount() + nodes - 1) / nodes;
    }

    private int split(int gpus, int tasks, String over) throws SlurmUsageException {
        if (gpus % tasks != 0) {
            throw new SlurmUsageException(gpuOption + ": " + gpus + " GPU(s) cannot be shared evenly by the " + over
                    + "; Cadre gives each task whole GPUs (use --gpus-per-task)");
        }
        return gpus / tasks;
    }

    private static long megabytes(String option, String value) throws SlurmUsageException {
        long mb = SlurmNumbers.megabytes(value);
        if (mb < 0) {
            throw new SlurmUsageException("Invalid " + option + " specification");
        }
        return mb;
    }

    /** Slurm's "gpu[:type]:count" GRES, per node; "gpu" alone is one. Other resources do not exist here. */
    private static int gres(String value) throws SlurmUsageException {
        int total = 0;
        for (String item : value.split(",")) {
            String[] parts = item.split(":");
            if (!parts[0].toLowerCase(Locale.ROOT).equals("gpu") || parts.length > 3) {
                throw new SlurmUsageException("Invalid generic resource (gres) specification");
            }
            String count = parts.length == 1 ? "1" : parts[parts.length - 1];
            if (parts.length == 2 && !count.chars().allMatch(Character::isDigit)) {
                // "gpu:a100": a type without a count means one of them.
                count = "1";
            }
            total += SlurmNumbers.parseInt("--gres", count, false);
        }
        return total;
    }

    /* "[type:]count"; Cadre does not tell GPU models apart, so a type is dropped with a warning. */
    private static int gpuCount(String option, String value, java.util.function.Consumer<String> warn)
            throws SlurmUsageException {
        int colon = value.lastIndexOf(':');
        if (colon >= 0) {
            warn.accept("sbatch: warning: GPU type in " + option + "=" + value
                    + " is ignored: Cadre does not distinguish GPU types");
        }
        return SlurmNumbers.parseInt(option, value.substring(colon + 1), false);
    }
}
