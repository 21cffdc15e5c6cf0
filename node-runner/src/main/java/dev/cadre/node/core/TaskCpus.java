package dev.cadre.node.core;

import dev.cadre.protocol.ExecMessage;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The CPUs one task of an srun step runs on, out of its job's CPUs on the node, as Slurm's task/affinity chooses them
 * (src/plugins/task/affinity/dist_tasks.c lllp_distribution, affinity.c get_cpuset), and what the task is told of
 * it. Cadre counts each CPU id as a core (as its nodes choose a job's CPUs), so cores and threads lay out the same.
 * Pure.
 *
 * <ul>
 * <li>No type (no --cpu-bind, or verbose/quiet alone): when the step's tasks on the node times their CPUs fill the
 * job's CPUs there, each task gets its own of them (Slurm's auto binding to cores); otherwise each task keeps them
 * all (Slurm's "auto binding off", whose mask is the allocation's). Cadre's nodes give a step no CPUs of its own, so
 * the job's CPUs are the step's, as in Slurm before 20.11: two steps run side by side are never stacked on the same
 * few CPUs.</li>
 * <li>cores or threads: the tasks are laid out over the job's CPUs whether or not they fill them.</li>
 * <li>none: every task keeps the job's CPUs.</li>
 * <li>map_cpu and mask_cpu: task N (on the node) takes the list's entry N, wrapping; a map naming a CPU outside the
 * job's gives every task the job's CPUs, a mask loses what is outside them (all of them when nothing is left), with
 * Slurm's line on the task's stderr.</li>
 * </ul>
 *
 * <p>The layout walks the job's CPUs socket by socket, lowest id first: block gives task N the N-th run of
 * cpus-per-task CPUs; cyclic (Slurm's default) deals the tasks to the sockets in turn, each task's CPUs from one
 * socket; fcyclic deals each CPU in turn. On a node of one socket all three are the same. More CPUs per task than
 * there are leaves each task the job's CPUs divided by the tasks, and more tasks than CPUs each task all of them.
 *
 * @param cpus the task's CPU ids
 * @param environment SLURM_CPU_BIND, SLURM_CPU_BIND_TYPE, SLURM_CPU_BIND_LIST and SLURM_CPU_BIND_VERBOSE, as
 *        Slurm's slurmstepd sets them for the task (env.c setup_env)
 * @param verbose with --cpu-bind=verbose, the line Slurm writes on the task's stderr, {@link #PID} standing for the
 *        task's process id; null otherwise
 * @param warning a line for the task's stderr about a binding it could not have, or null
 */
public record TaskCpus(SortedSet<Integer> cpus, Map<String, String> environment, String verbose, String warning) {
    /** Where the task's process id goes in {@link #verbose}. */
    public static final String PID = "{pid}";

    /**
     * @param jobCpus the job's CPUs on the node, the task's to share; not empty
     * @param sockets each CPU's socket (physical package), 0 for a CPU not in it
     * @param nodeCpus how many CPUs the node has, which sets the width of the masks in SLURM_CPU_BIND_LIST
     * @param host the node's name in the job's allocation, for the verbose line
     */
    public static TaskCpus of(SortedSet<Integer> jobCpus, Map<Integer, Integer> sockets, int nodeCpus,
            ExecMessage.StepTask task, CpuBind bind, String host) {
        int tasks = task.tasksOnNode();
        int local = task.localId();
        String all = hex(jobCpus, 0);
        String width = hex(jobCpus, nodeCpus);
        return switch (bind.type()) {
            case NONE -> told(jobCpus, bind, "none", "", "NONE", task, host, null);
            case MAP -> {
                List<Integer> ids = bind.list().stream().map(BigInteger::intValue).toList();
                if (!jobCpus.containsAll(ids)) {
                    yield told(jobCpus, bind, "mask_cpu:", width, "MASK", task, host, outside(all));
                }
                String list = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
                yield told(new TreeSet<>(List.of(ids.get(local % ids.size()))), bind, "map_cpu:", list, "MAP ",
                        task, host, null);
            }
            case MASK -> {
                SortedSet<Integer> asked = cpusOf(bind.list().get(local % bind.list().size()));
                SortedSet<Integer> mine = new TreeSet<>(asked);
                mine.retainAll(jobCpus);
                String list = bind.list().stream().map(m -> "0x" + m.toString(16)).collect(Collectors.joining(","));
                yield told(mine.isEmpty() ? jobCpus : mine, bind, "mask_cpu:", list, "MASK", task, host,
                        mine.size() < asked.size() ? outside(all) : null);
            }
            case AUTO -> {
                int perTask = task.cpusPerTask() == null ? 1 : task.cpusPerTask();
                boolean fills = (long) tasks * perTask == jobCpus.size();
                if ((bind.unit() == CpuBind.Unit.DEFAULT && !fills) || tasks > jobCpus.size()) {
                    yield told(jobCpus, bind, "mask_cpu:", width, "MASK", task, host, null);
                }
                List<SortedSet<Integer>> layout = layout(jobCpus, sockets, tasks,
                        Math.min(perTask, jobCpus.size() / tasks), task.distribution());
                String list = layout.stream().map(m -> hex(m, nodeCpus)).collect(Collectors.joining(","));
                yield told(layout.get(local), bind, "mask_cpu:", list, "MASK", task, host, null);
            }
        };
    }

    /** Each task's CPUs, in the order of the tasks' local ids. */
    static List<SortedSet<Integer>> layout(SortedSet<Integer> jobCpus, Map<Integer, Integer> sockets, int tasks,
            int perTask, String distribution) {
        List<Integer> blockOrder = new ArrayList<>(jobCpus);
        blockOrder.sort(Comparator.comparing((Integer c) -> sockets.getOrDefault(c, 0)).thenComparing(c -> c));
        Map<Integer, Deque<Integer>> bySocket = new LinkedHashMap<>();
        for (int cpu : blockOrder) {
            bySocket.computeIfAbsent(sockets.getOrDefault(cpu, 0), s -> new ArrayDeque<>()).add(cpu);
        }
        List<Deque<Integer>> queues = new ArrayList<>(bySocket.values());
        boolean block = "block".equals(distribution);
        boolean full = "fcyclic".equals(distribution);
        List<SortedSet<Integer>> out = new ArrayList<>();
        int socket = 0;
        int next = 0;
        for (int t = 0; t < tasks; t++) {
            SortedSet<Integer> mine = new TreeSet<>();
            for (int p = 0; p < perTask; p++) {
                if (block) {
                    mine.add(blockOrder.get(next++));
                    continue;
                }
                while (queues.get(socket).isEmpty()) {
                    socket = (socket + 1) % queues.size();
                }
                mine.add(queues.get(socket).poll());
                if (full) {
                    socket = (socket + 1) % queues.size();
                }
            }
            if (!block && !full) {
                socket = (socket + 1) % queues.size();
            }
            out.add(mine);
        }
        return out;
    }

    private static TaskCpus told(SortedSet<Integer> cpus, CpuBind bind, String type, String list, String verboseType,
            ExecMessage.StepTask task, String host, String warning) {
        String verbosity = bind.verbose() ? "verbose" : "quiet";
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SLURM_CPU_BIND_VERBOSE", verbosity);
        env.put("SLURM_CPU_BIND_TYPE", type);
        env.put("SLURM_CPU_BIND_LIST", list);
        env.put("SLURM_CPU_BIND", verbosity + "," + type + list);
        String verbose = !bind.verbose() ? null : String.format("cpu-bind=%s - %s, task %2d %2d [%s]: mask %s%s",
                verboseType, host, task.globalId(), task.localId(), PID, hex(cpus, 0),
                verboseType.equals("NONE") ? "" : " set");
        return new TaskCpus(new TreeSet<>(cpus), env, verbose, warning);
    }

    /** Slurm's error for a binding outside the allocation (dist_tasks.c _validate_map, _validate_mask). */
    private static String outside(String allocated) {
        return "cpu-bind: CPU binding outside of job step allocation, allocated CPUs are: " + allocated + ".";
    }

    /** The CPUs of a mask. */
    static SortedSet<Integer> cpusOf(BigInteger mask) {
        SortedSet<Integer> cpus = new TreeSet<>();
        for (int i = mask.getLowestSetBit(); i >= 0 && i < mask.bitLength(); i++) {
            if (mask.testBit(i)) {
                cpus.add(i);
            }
        }
        return cpus;
    }

    /**
     * A mask as Slurm writes it, 0x and hexadecimal digits: zero-padded to the digits {@code bits} CPUs take (its
     * bit_fmt_hexmask), or with no leading zero for 0 (task_cpuset_to_str).
     */
    static String hex(SortedSet<Integer> cpus, int bits) {
        BigInteger mask = BigInteger.ZERO;
        for (int cpu : cpus) {
            mask = mask.setBit(cpu);
        }
        String digits = mask.toString(16);
        int width = (bits + 3) / 4;
        return "0x" + "0".repeat(Math.max(0, width - digits.length())) + digits;
    }
}
