package dev.cadre.node;

import dev.cadre.node.core.CpuBind;
import dev.cadre.node.core.GpuBind;
import dev.cadre.node.core.NodeTopology;
import dev.cadre.node.core.TaskCpus;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.ShellWord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * The share of its attempt's CPUs and GPUs on this node that a remote command gets when it is one task of an srun
 * step ({@link ExecMessage.StepTask}): chosen by {@link TaskCpus} and {@link GpuBind}, with the socket of each CPU
 * as the node read it at its start ({@link BoundCpus#topology}), and the lines Slurm writes on a task's stderr before it runs (--cpu-bind=verbose, a binding
 * outside the job's CPUs, --gpu-bind=verbose) put before its command, where bash prints them with its own pid, the
 * task's.
 *
 * @param cpus the task's CPUs; the attempt's when the node binds nothing (none known)
 * @param gpus the task's GPUs; the attempt's when it has none here
 * @param environment the SLURM_CPU_BIND variables, empty when the node binds nothing
 * @param command what bash runs: the request's command after the lines for stderr
 */
record TaskBinding(SortedSet<Integer> cpus, List<Integer> gpus, Map<String, String> environment, String command) {
    /** The request's task's share; a request that is no task's keeps all of them. */
    static TaskBinding of(ExecMessage.ExecRequest request, NodeCommand.PlaceJob place, String nodeId,
            SortedSet<Integer> cpus, List<Integer> gpus, NodeTopology topology) {
        ExecMessage.StepTask task = request.task();
        if (task == null) {
            return new TaskBinding(cpus, gpus, Map.of(), request.command());
        }
        List<String> stderr = new ArrayList<>();
        SortedSet<Integer> taskCpus = cpus;
        Map<String, String> env = Map.of();
        if (!cpus.isEmpty()) {
            CpuBind bind = task.cpuBind() == null ? CpuBind.DEFAULT : CpuBind.parse(task.cpuBind());
            TaskCpus share = TaskCpus.of(cpus, topology.sockets(), topology.maskWidth(cpus), task, bind,
                    hostname(place, nodeId));
            taskCpus = share.cpus();
            env = share.environment();
            if (share.warning() != null) {
                stderr.add(ShellWord.quote(share.warning()));
            }
            if (share.verbose() != null) {
                int pid = share.verbose().indexOf(TaskCpus.PID);
                stderr.add(ShellWord.quote(share.verbose().substring(0, pid)) + "\"$$\""
                        + ShellWord.quote(share.verbose().substring(pid + TaskCpus.PID.length())));
            }
        }
        List<Integer> taskGpus = gpus;
        if (!gpus.isEmpty() && task.gpuBind() != null) {
            GpuBind bind = GpuBind.parse(task.gpuBind());
            taskGpus = bind.forTask(gpus, task.localId());
            String verbose = bind.verboseLine(gpus, taskGpus);
            if (verbose != null) {
                stderr.add(ShellWord.quote(verbose));
            }
        }
        StringBuilder command = new StringBuilder();
        for (String line : stderr) {
            command.append("printf '%s\\n' ").append(line).append(" >&2; ");
        }
        return new TaskBinding(taskCpus, taskGpus, env, command + request.command());
    }

    private static String hostname(NodeCommand.PlaceJob place, String nodeId) {
        return place.allocation().nodes().stream().filter(n -> n.nodeId().equals(nodeId))
                .map(Allocation.NodeSlots::hostname).findFirst().orElse(nodeId);
    }
}
