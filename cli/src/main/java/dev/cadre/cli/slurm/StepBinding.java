package dev.cadre.cli.slurm;

import dev.cadre.node.core.CpuBind;
import dev.cadre.node.core.GpuBind;
import dev.cadre.protocol.ExecMessage;
import java.util.List;
import java.util.Locale;

/**
 * How the tasks of an srun step inside a job share the job's CPUs and GPUs on each node, as srun tells Slurm's slurmd:
 * --cpu-bind, --gpu-bind (per_task:N for srun's own --gpus-per-task=N, as in Slurm) and the part of -m after its first
 * colon, how the tasks lie over a node's sockets. Each task's request to its node carries them ({@link #task}); the
 * node chooses the task's share. The job's SLURM_GPUS_PER_TASK implies nothing: Cadre's nodes set it for every job
 * with GPUs (its --gpus N is N per task), where Slurm's steps inherit it only from a job given --gpus-per-task.
 *
 * @param cpuBind --cpu-bind as given, checked as Slurm checks it, or null
 * @param gpuBind --gpu-bind as given, or per_task:N, or null
 * @param sockets block, cyclic or fcyclic, or null for Slurm's default (cyclic)
 */
public record StepBinding(String cpuBind, String gpuBind, String sockets) {
    static final StepBinding NONE = new StepBinding(null, null, null);

    /**
     * @param gpusPerTask srun's --gpus-per-task ([type:]N), else null
     * @throws SlurmUsageException with srun's words for a value it cannot read
     */
    static StepBinding read(String cpuBind, String gpuBind, String distribution, String gpusPerTask)
            throws SlurmUsageException {
        if (cpuBind != null) {
            try {
                CpuBind.parse(cpuBind);
            } catch (IllegalArgumentException e) {
                throw new SlurmUsageException(List.of("srun: error: " + e.getMessage(),
                        "srun: fatal: Failed to parse --cpu-bind= values."));
            }
        }
        String gpus = gpuBind;
        if (gpus != null) {
            try {
                GpuBind.parse(gpus);
            } catch (IllegalArgumentException e) {
                throw new SlurmUsageException("srun: error: " + e.getMessage());
            }
        } else if (gpusPerTask != null) {
            gpus = "per_task:" + perTask(gpusPerTask);
        }
        return new StepBinding(cpuBind, gpus, sockets(distribution));
    }

    /** -m's second part: block, cyclic or fcyclic, or null for * or none. */
    private static String sockets(String distribution) throws SlurmUsageException {
        if (distribution == null) {
            return null;
        }
        String[] levels = distribution.split(",")[0].split(":");
        if (levels.length < 2 || levels[1].equals("*")) {
            return null;
        }
        String level = levels[1].toLowerCase(Locale.ROOT);
        if (!List.of("block", "cyclic", "fcyclic").contains(level)) {
            throw new SlurmUsageException("srun: error: Invalid --distribution specification");
        }
        return level;
    }

    private static int perTask(String value) throws SlurmUsageException {
        String count = value.substring(value.lastIndexOf(':') + 1);
        try {
            int n = Integer.parseInt(count);
            if (n >= 1 && n <= GpuBind.MAX) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new SlurmUsageException("srun: error: Invalid --gpus-per-task specification: " + value);
    }

    /** What the node is told of the task {@code t} of {@code step}. */
    public ExecMessage.StepTask task(StepLayout step, StepLayout.Task t, Integer cpusPerTask) {
        return new ExecMessage.StepTask(t.localId(), step.tasksPerNode().get(t.nodeId()), t.procId(), cpusPerTask,
                sockets, cpuBind, gpuBind);
    }
}