package dev.cadre.cli.slurm;

import dev.cadre.protocol.HostList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where the tasks of one srun inside a job run: which of the job's nodes the step uses, how many tasks each
 * gets, and each task's global id (SLURM_PROCID), node index (SLURM_NODEID) and id on its node (SLURM_LOCALID).
 * Tasks go to nodes in blocks (consecutive ids share a node), or dealt in turn with -m cyclic.
 *
 * @param hosts the step's nodes, in the job's order
 * @param tasksPerNode the tasks on each of them
 */
public record StepLayout(List<String> hosts, List<Integer> tasksPerNode, List<Task> tasks) {

    /** One task of the step. */
    public record Task(int procId, int nodeId, String host, int localId) {
    }

    /** What the job holds, as its SLURM_* variables tell. */
    public record Allocation(List<String> hosts, List<Integer> tasks, List<Integer> cpus) {
        /**
         * From SLURM_JOB_NODELIST, SLURM_TASKS_PER_NODE ("2(x3),1") and SLURM_JOB_CPUS_PER_NODE.
         *
         * @throws SlurmUsageException when they are missing or do not agree: srun is not inside a job it can use
         */
        public static Allocation fromEnvironment(Map<String, String> env) throws SlurmUsageException {
            try {
                List<String> hosts = HostList.expand(env.getOrDefault("SLURM_JOB_NODELIST", ""));
                List<Integer> tasks = repeats(env.getOrDefault("SLURM_TASKS_PER_NODE", ""));
                List<Integer> cpus = repeats(env.getOrDefault("SLURM_JOB_CPUS_PER_NODE", ""));
                if (hosts.isEmpty() || tasks.size() != hosts.size() || cpus.size() != hosts.size()) {
                    throw new IllegalArgumentException("the counts do not match the nodes");
                }
                return new Allocation(hosts, tasks, cpus);
            } catch (IllegalArgumentException e) {
                throw new SlurmUsageException("srun: error: cannot read the job's allocation from SLURM_JOB_NODELIST,"
                        + " SLURM_TASKS_PER_NODE and SLURM_JOB_CPUS_PER_NODE: " + e.getMessage());
            }
        }

        int totalTasks() {
            return tasks.stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Slurm's "2(x3),1" as [2, 2, 2, 1]. */
    static List<Integer> repeats(String text) {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int paren = part.indexOf("(x");
            int count = Integer.parseInt(paren < 0 ? part : part.substring(0, paren));
            int times = paren < 0 ? 1 : Integer.parseInt(part.substring(paren + 2, part.length() - 1));
            for (int i = 0; i < times; i++) {
                out.add(count);
            }
        }
        return out;
    }

    /** @throws SlurmUsageException when the job cannot hold the step, with srun's words */
    public static StepLayout of(Allocation job, SrunOptions o, String jobId) throws SlurmUsageException {
        List<Integer> usable = new ArrayList<>();
        for (int i = 0; i < job.hosts().size(); i++) {
            if (o.nodelist() == null || o.nodelist().contains(job.hosts().get(i))) {
                usable.add(i);
            }
        }
        if (o.nodelist() != null && usable.size() < o.nodelist().size()) {
            throw unavailable(jobId, "Requested node configuration is not available");
        }
        int cpusPerTask = o.cpusPerTask() == null ? 1 : o.cpusPerTask();
        int nodeCount = o.nodes() != null ? o.nodes()
                : o.tasks() != null && o.tasksPerNode() == null ? Math.min(o.tasks(), usable.size()) : usable.size();
        if (nodeCount > usable.size() || nodeCount < 1) {
            throw unavailable(jobId, "Requested node configuration is not available");
        }
        int tasks = o.tasks() != null ? o.tasks() : o.tasksPerNode() != null ? nodeCount * o.tasksPerNode()
                : nodeCount;
        if (tasks < nodeCount) {
            throw unavailable(jobId, "Requested node configuration is not available");
        }
        List<Integer> nodes = usable.subList(0, nodeCount);
        int[] counts;
        if (tasks == job.totalTasks() && nodeCount == job.hosts().size() && o.tasksPerNode() == null) {
            // The whole job: its own layout, which MPI's view of the allocation agrees with.
            counts = job.tasks().stream().mapToInt(Integer::intValue).toArray();
        } else {
            counts = spread(tasks, nodes.stream().mapToInt(i -> job.cpus().get(i) / cpusPerTask).toArray(),
                    o.tasksPerNode(), jobId);
        }
        List<String> hosts = nodes.stream().map(job.hosts()::get).toList();
        return new StepLayout(hosts, Arrays.stream(counts).boxed().toList(), number(hosts, counts, o.cyclic()));
    }

    /** As evenly as the nodes allow, the first nodes taking one more; never more than a node has CPUs for. */
    private static int[] spread(int tasks, int[] capacity, Integer perNode, String jobId) throws SlurmUsageException {
        int n = capacity.length;
        int[] counts = new int[n];
        int left = tasks;
        for (int i = 0; i < n; i++) {
            int want = perNode != null ? Math.min(perNode, left) : tasks / n + (i < tasks % n ? 1 : 0);
            counts[i] = Math.min(want, capacity[i]);
            left -= counts[i];
        }
        // What a full node could not take goes to nodes with room, in order.
        for (int i = 0; i < n && left > 0 && perNode == null; i++) {
            int more = Math.min(left, capacity[i] - counts[i]);
            counts[i] += more;
            left -= more;
        }
        if (left > 0) {
            throw unavailable(jobId, "More processors requested than permitted");
        }
        return counts;
    }

    private static List<Task> number(List<String> hosts, int[] counts, boolean cyclic) {
        List<Task> out = new ArrayList<>();
        int[] placed = new int[counts.length];
        int total = Arrays.stream(counts).sum();
        if (!cyclic) {
            for (int node = 0; node < counts.length; node++) {
                for (int l = 0; l < counts[node]; l++) {
                    out.add(new Task(out.size(), node, hosts.get(node), l));
                }
            }
            return out;
        }
        int node = 0;
        while (out.size() < total) {
            if (placed[node] < counts[node]) {
                out.add(new Task(out.size(), node, hosts.get(node), placed[node]++));
            }
            node = (node + 1) % counts.length;
        }
        return out;
    }

    /** The global ids of the tasks on one node, as SLURM_GTIDS lists them. */
    public String globalIdsOn(int nodeId) {
        StringBuilder b = new StringBuilder();
        for (Task t : tasks) {
            if (t.nodeId() == nodeId) {
                b.append(b.length() == 0 ? "" : ",").append(t.procId());
            }
        }
        return b.toString();
    }

    private static SlurmUsageException unavailable(String jobId, String why) {
        return new SlurmUsageException("srun: error: Unable to create step for job " + jobId + ": " + why);
    }
}
