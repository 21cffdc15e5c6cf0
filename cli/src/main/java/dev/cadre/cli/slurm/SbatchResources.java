package dev.cadre.cli.slurm;

import dev.cadre.protocol.GpuTypes;
import dev.cadre.protocol.JobSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * sbatch's memory and GPU options, which Slurm counts per node, per CPU, per job or per task, turned into
 * Cadre's two figures: memory per node and GPUs per task. They are resolved once every option is read, since
 * what a per-CPU or per-job figure comes to depends on the tasks, CPUs and nodes asked for.
 */
final class SbatchResources {
    static final Set<String> OPTIONS = Set.of("mem", "mem-per-cpu", "gres", "gpus", "gpus-per-task",
            "gpus-per-node", "ntasks-per-gpu", "cpus-per-gpu");
    /** The most memory a job may ask of a node (JobSpecValidator), 1 TiB of megabytes. */
    static final long MOST_MEGABYTES = 1L << 40;

    private Long memPerNode;
    private Long memPerCpu;
    private Integer gpusPerNode;
    private Integer gpusPerJob;
    private Integer gpusPerTask;
    private Integer ntasksPerGpu;
    private Integer cpusPerGpu;
    /** The option that set the GPU count last: the command line overrides the script, whichever form it uses. */
    private String gpuOption;
    /** The GPU type that option named ({@code --gpus a100:1}), null for any. */
    private String gpuType;

    void apply(String option, String value) throws SlurmUsageException {
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
            // The same request as --gres=gpu:N: N GPUs on each node.
            case "gpus-per-node" -> {
                gpusPerNode = gpuCount("--gpus-per-node", value);
                gpuOption = "--gpus-per-node=" + value;
            }
            case "gpus" -> {
                gpusPerJob = gpuCount("--gpus", value);
                gpuOption = "--gpus=" + value;
            }
            case "gpus-per-task" -> {
                gpusPerTask = gpuCount("--gpus-per-task", value);
                gpuOption = "--gpus-per-task=" + value;
            }
            case "ntasks-per-gpu" -> ntasksPerGpu = SlurmNumbers.parseInt("--ntasks-per-gpu", value, true);
            case "cpus-per-gpu" -> cpusPerGpu = SlurmNumbers.parseInt("--cpus-per-gpu", value, true);
            default -> throw new IllegalStateException("not a resource option: " + option);
        }
    }

    /**
     * What the job is told of its memory request beyond the spec: --mem-per-cpu as SLURM_MEM_PER_CPU, as Slurm
     * passes it (the node then leaves out SLURM_MEM_PER_NODE); either option drops the other's variable that the
     * submitting job's environment carries.
     */
    void describe(Map<String, String> env) {
        if (memPerCpu != null) {
            env.remove("SLURM_MEM_PER_NODE");
            if (memPerCpu > 0) {
                env.put("SLURM_MEM_PER_CPU", Long.toString(memPerCpu));
            }
        } else if (memPerNode != null) {
            env.remove("SLURM_MEM_PER_CPU");
        }
    }

    /**
     * Sets the job's memory per node (and, for --mem-per-cpu, per CPU), GPUs per task and, for --ntasks-per-gpu and
     * --cpus-per-gpu, its tasks and CPUs per task from what was asked for. --mem=0 (Slurm: all of each node's memory)
     * gives the job whole nodes, which an exclusive job has with all their memory.
     */
    void resolve(JobSpec.Builder job, JobSpec sized) throws SlurmUsageException {
        if (ntasksPerGpu != null) {
            sized = tasksFromGpus(job, sized);
        }
        Integer perTask = ntasksPerGpu != null ? Integer.valueOf(1) : gpusPerTask(sized);
        if (perTask != null) {
            job.gpusPerTask(perTask).gpuType(perTask > 0 ? gpuType : null);
        }
        int cpusPerTask = sized.cpusPerTaskOrOne();
        if (cpusPerGpu != null) {
            if (sized.cpusPerTask() != null) {
                throw new SlurmUsageException("--cpus-per-gpu is mutually exclusive with --cpus-per-task");
            }
            if (perTask == null || perTask == 0) {
                throw new SlurmUsageException("--cpus-per-gpu=" + cpusPerGpu + " needs GPUs: give --gpus,"
                        + " --gpus-per-node, --gpus-per-task or --gres=gpu:N");
            }
            cpusPerTask = Math.multiplyExact(cpusPerGpu, perTask);
            job.cpusPerTask(cpusPerTask);
        }
        int tasksPerNode = sized.tasksOnBusiestNode();
        if (Long.valueOf(0).equals(memPerNode) || Long.valueOf(0).equals(memPerCpu)) {
            job.exclusive(true);
        } else if (memPerNode != null) {
            job.memoryMb(satisfiable(memPerNode));
        } else if (memPerCpu != null) {
            long perNode;
            try {
                perNode = Math.multiplyExact(memPerCpu, (long) cpusPerTask * tasksPerNode);
            } catch (ArithmeticException e) {
                perNode = Long.MAX_VALUE;
            }
            // Kept as well: an exclusive job has every CPU of its nodes, and its nodes enforce it per CPU there.
            // JobSpecValidator refuses a spec whose memoryMb is not this product, so the two must agree.
            job.memoryMb(satisfiable(perNode)).memoryPerCpuMb(memPerCpu);
        }
    }

    /** GPUs per task from the GPU option given last, or null for none. */
    private Integer gpusPerTask(JobSpec sized) throws SlurmUsageException {
        if (gpuOption == null) {
            return null;
        }
        if (gpuOption.startsWith("--gpus-per-task")) {
            return gpusPerTask;
        }
        int tasks = sized.taskCount();
        if (gpuOption.startsWith("--gpus=")) {
            return split(gpusPerJob, tasks, "job's " + tasks + " task(s)");
        }
        int tasksPerNode = sized.tasksOnBusiestNode();
        return split(gpusPerNode, tasksPerNode, tasksPerNode + " task(s) on each node");
    }

    /**
     * --ntasks-per-gpu=K: K tasks for each GPU asked for (--ntasks, when not given, is that many), or, with no
     * GPU option, a GPU for each K tasks. Cadre gives each task whole GPUs, so only one task a GPU can be honoured.
     */
    private JobSpec tasksFromGpus(JobSpec.Builder job, JobSpec sized) throws SlurmUsageException {
        if (gpuOption != null && gpuOption.startsWith("--gpus-per-task")) {
            throw new SlurmUsageException("--gpus-per-task is mutually exclusive with --ntasks-per-gpu");
        }
        if (ntasksPerGpu != 1) {
            throw new SlurmUsageException("--ntasks-per-gpu=" + ntasksPerGpu + ": " + ntasksPerGpu
                    + " tasks cannot share one GPU; Cadre gives each task whole GPUs (use --ntasks-per-gpu=1 or"
                    + " --gpus-per-task)");
        }
        Integer gpus = gpuOption == null ? null
                : gpuOption.startsWith("--gpus=") ? gpusPerJob : Math.multiplyExact(gpusPerNode, sized.nodeCount());
        if (gpus == null) {
            return sized;
        }
        if (gpus == 0) {
            throw new SlurmUsageException("--ntasks-per-gpu needs at least one GPU, and " + gpuOption
                    + " asks for none");
        }
        if (sized.tasks() != null && sized.tasks() != (int) gpus) {
            throw new SlurmUsageException("--ntasks-per-gpu=1 with " + gpuOption + " makes " + gpus + " task(s),"
                    + " not the " + sized.tasks() + " --ntasks asks for");
        }
        job.tasks(gpus);
        return job.build();
    }

    /** Slurm's answer when no node could hold the memory asked for, in place of the API's field check. */
    private static long satisfiable(long megabytes) throws SlurmUsageException {
        if (megabytes > MOST_MEGABYTES) {
            throw new SlurmUsageException(List.of("Memory specification can not be satisfied",
                    "Batch job submission failed: Requested node configuration is not available"));
        }
        return megabytes;
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

    /**
     * Slurm's "gpu[:type]:count" GRES, per node; "gpu" alone is one, "gpu:a100" one a100. Other resources do not exist
     * here, and a job's GPUs are of one type (or any).
     */
    private int gres(String value) throws SlurmUsageException {
        int total = 0;
        Set<String> types = new java.util.HashSet<>();
        for (String item : value.split(",")) {
            String[] parts = item.split(":");
            if (!parts[0].toLowerCase(Locale.ROOT).equals("gpu") || parts.length > 3) {
                throw new SlurmUsageException("Invalid generic resource (gres) specification");
            }
            String count = parts.length == 1 ? "1" : parts[parts.length - 1];
            String type = parts.length == 3 ? parts[1] : null;
            if (parts.length == 2 && !count.chars().allMatch(Character::isDigit)) {
                // "gpu:a100": a type without a count means one of them.
                type = count;
                count = "1";
            }
            types.add(type == null ? "" : type);
            total += SlurmNumbers.parseInt("--gres", count, false);
            gpuType = type(type);
        }
        if (types.size() > 1) {
            throw new SlurmUsageException("--gres=" + value + ": Cadre gives a job GPUs of one type, or of any: ask"
                    + " for one of " + types.stream().map(t -> t.isEmpty() ? "gpu:N" : "gpu:" + t + ":N").sorted()
                    .toList());
        }
        return total;
    }

    /** "[type:]count", the type (null for any) kept for the job. */
    private int gpuCount(String option, String value) throws SlurmUsageException {
        int colon = value.lastIndexOf(':');
        gpuType = type(colon < 0 ? null : value.substring(0, colon));
        return SlurmNumbers.parseInt(option, value.substring(colon + 1), false);
    }

    /** The type as given, checked: Slurm refuses a job whose GRES names a type no node has, as the head does. */
    private static String type(String type) throws SlurmUsageException {
        if (type != null && GpuTypes.nameProblem(type) != null) {
            throw new SlurmUsageException("Invalid generic resource (gres) specification: "
                    + GpuTypes.nameProblem(type));
        }
        return type;
    }
}
