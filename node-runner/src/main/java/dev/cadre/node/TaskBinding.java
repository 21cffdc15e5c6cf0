package dev.cadre.node;

import dev.cadre.node.core.CpuBind;
import dev.cadre.node.core.CpuList;
import dev.cadre.node.core.GpuBind;
import dev.cadre.node.core.TaskCpus;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.NodeCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * The share of its attempt's CPUs and GPUs on this node that a remote command gets when it is one task of an srun
 * step ({@link ExecMessage.StepTask}): chosen by {@link TaskCpus} and {@link GpuBind}, with the socket of each CPU
 * read from sysfs, and the lines Slurm writes on a task's stderr before it runs (--cpu-bind=verbose, a binding
 * outside the job's CPUs, --gpu-bind=verbose) put before its command, where bash prints them with its own pid, the
 * task's.
 *
 * @param cpus the task's CPUs; the attempt's when the node binds nothing (none known)
 * @param gpus the task's GPUs; the attempt's when it has none here
 * @param environment the SLURM_CPU_BIND variables, empty when the node binds nothing
 * @param command what bash runs: the request's command after the lines for stderr
 */
record TaskBinding(SortedSet<Integer> cpus, List<Integer> gpus, Map<String, String> environment, String command) {
    private static final Path CPUS = Path.of("/sys/devices/system/cpu");

    /** The request's task's share; a request that is no task's keeps all of them. */
    static TaskBinding of(ExecMessage.ExecRequest request, NodeCommand.PlaceJob place, String nodeId,
            SortedSet<Integer> cpus, List<Integer> gpus) {
        ExecMessage.StepTask task = request.task();
        if (task == null) {
            return new TaskBinding(cpus, gpus, Map.of(), request.command());
        }
        List<String> stderr = new ArrayList<>();
        SortedSet<Integer> taskCpus = cpus;
        Map<String, String> env = Map.of();
        if (!cpus.isEmpty()) {
            CpuBind bind = task.cpuBind() == null ? CpuBind.DEFAULT : CpuBind.parse(task.cpuBind());
            TaskCpus share = TaskCpus.of(cpus, sockets(cpus), nodeCpus(cpus), task, bind, hostname(place, nodeId));
            taskCpus = share.cpus();
            env = share.environment();
            if (share.warning() != null) {
                stderr.add(quote(share.warning()));
            }
            if (share.verbose() != null) {
                int pid = share.verbose().indexOf(TaskCpus.PID);
                stderr.add(quote(share.verbose().substring(0, pid)) + "\"$$\""
                        + quote(share.verbose().substring(pid + TaskCpus.PID.length())));
            }
        }
        List<Integer> taskGpus = gpus;
        if (!gpus.isEmpty() && task.gpuBind() != null) {
            GpuBind bind = GpuBind.parse(task.gpuBind());
            taskGpus = bind.forTask(gpus, task.localId());
            String verbose = bind.verboseLine(gpus, taskGpus);
            if (verbose != null) {
                stderr.add(quote(verbose));
            }
        }
        StringBuilder command = new StringBuilder();
        for (String line : stderr) {
            command.append("printf '%s\\n' ").append(line).append(" >&2; ");
        }
        return new TaskBinding(taskCpus, taskGpus, env, command + request.command());
    }

    /** Each CPU's socket, its physical package as sysfs says; a CPU whose package cannot be read is left out. */
    private static Map<Integer, Integer> sockets(SortedSet<Integer> cpus) {
        Map<Integer, Integer> sockets = new HashMap<>();
        for (int cpu : cpus) {
            try {
                sockets.put(cpu, Integer.valueOf(Files.readString(CPUS.resolve("cpu" + cpu)
                        .resolve("topology/physical_package_id")).trim()));
            } catch (IOException | NumberFormatException e) {
                // On socket 0, as on a node of one socket.
            }
        }
        return sockets;
    }

    /** The node's CPU count as Slurm's masks are wide: the highest CPU id the kernel knows, and one. */
    private static int nodeCpus(SortedSet<Integer> cpus) {
        try {
            return Math.max(cpus.last() + 1, CpuList.parse(Files.readString(CPUS.resolve("online")).trim()).last()
                    + 1);
        } catch (IOException | RuntimeException e) {
            return cpus.last() + 1;
        }
    }

    private static String hostname(NodeCommand.PlaceJob place, String nodeId) {
        return place.allocation().nodes().stream().filter(n -> n.nodeId().equals(nodeId))
                .map(Allocation.NodeSlots::hostname).findFirst().orElse(nodeId);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
