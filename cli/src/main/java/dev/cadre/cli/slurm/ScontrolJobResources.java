package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import java.util.List;

/**
 * scontrol show job's lines on what a job asked for and holds, in scontrol's words and order. The job list's
 * fields give the counts and the memory; what only the spec holds (the node lists asked for or excluded, tasks per
 * node, GPUs, standard input) is shown when the answer carries the spec, that is for {@code show job ID}, and left
 * out of a whole list rather than shown wrong.
 */
final class ScontrolJobResources {
    private ScontrolJobResources() {
    }

    /** ReqNodeList and ExcNodeList, before NodeList; nothing without the spec. */
    static void addRequestedNodes(Json job, List<String> lines) {
        Json spec = job.path("spec");
        if (spec.isObject()) {
            lines.add("ReqNodeList=" + names(spec.path("nodelist")) + " ExcNodeList=" + names(spec.path("exclude")));
        }
    }

    /**
     * The lines from NumNodes to OverSubscribe, after BatchHost: Reservation= among them for a job in one.
     *
     * @param details scontrol -d: the CPUs the job holds on each node ({@link ScontrolJobCpus}) after Socks/Node
     */
    static void addCounts(Json job, boolean placed, boolean details, List<String> lines) {
        Json spec = job.path("spec");
        boolean exclusive = job.path("exclusive").asBoolean(false);
        int tasks = Math.max(1, job.path("tasks").asInt(1));
        int cpus = job.path("cpus").asInt(0);
        // Without the spec, a shared job's CPUs are its tasks' (the scheduler gives each task its --cpus-per-task),
        // an exclusive one's are its nodes' whole count: its CPUs per task cannot be told then.
        Integer perTask = spec.isObject() ? Integer.valueOf(spec.path("cpusPerTask").asInt(1))
                : !exclusive && cpus % tasks == 0 ? Integer.valueOf(cpus / tasks) : null;
        lines.add("NumNodes=" + job.path("nodes").asInt() + " NumCPUs=" + cpus + " NumTasks=" + tasks
                + (perTask == null ? "" : " CPUs/Task=" + perTask) + " ReqB:S:C:T=0:0:*:*");
        int asked = perTask == null ? cpus : tasks * perTask;
        lines.add("ReqTRES=" + tres(job, asked));
        lines.add("AllocTRES=" + (placed ? tres(job, cpus) : "(null)"));
        if (spec.isObject()) {
            lines.add("Socks/Node=* NtasksPerN:B:S:C=" + spec.path("tasksPerNode").asInt(0) + ":0:*:* CoreSpec=*");
        }
        if (details) {
            lines.addAll(ScontrolJobCpus.lines(job));
        }
        String memory;
        if (job.hasNonNull("memoryPerCpuMb")) {
            memory = "MinMemoryCPU=" + SlurmNumbers.memory(job.path("memoryPerCpuMb").asLong());
        } else {
            memory = "MinMemoryNode=" + SlurmNumbers.memory(job.path("memoryMb").asLong(0));
        }
        if (perTask != null) {
            // Slurm's pn_min_cpus: a task's CPUs, times the tasks each node must hold when --ntasks-per-node says.
            int perNode = Math.max(1, spec.path("tasksPerNode").asInt(1));
            memory = "MinCPUsNode=" + (long) perTask * perNode + " " + memory;
        }
        lines.add(memory + " MinTmpDiskNode=0");
        if (job.hasNonNull("reservation")) {
            // Slurm's record has the line only for a job in a reservation, after Features= (which Cadre has not).
            lines.add("Reservation=" + job.get("reservation").asText());
        }
        lines.add("OverSubscribe=" + (exclusive ? "NO" : "OK") + " Contiguous=0 Licenses=(null) Network=(null)");
    }

    /** StdIn, between StdErr and StdOut; nothing without the spec. */
    static void addStdin(Json job, List<String> lines) {
        Json spec = job.path("spec");
        if (spec.isObject()) {
            lines.add("StdIn=" + ScontrolJobFormat.outputPath(job, spec.path("stdin").asText("/dev/null")));
        }
    }

    /** Slurm's TRES string: cpu, mem when the job asked for memory, node, billing (its CPUs), then GPUs. */
    private static String tres(Json job, int cpus) {
        StringBuilder b = new StringBuilder("cpu=").append(cpus);
        long memory = SacctRows.requestedMemory(job);
        if (memory > 0) {
            b.append(",mem=").append(SlurmNumbers.memory(memory));
        }
        b.append(",node=").append(job.path("nodes").asInt()).append(",billing=").append(cpus);
        Json spec = job.path("spec");
        int gpus = spec.path("gpusPerTask").asInt(0) * Math.max(1, job.path("tasks").asInt(1));
        if (gpus > 0) {
            b.append(",gres/gpu=").append(gpus);
        }
        return b.toString();
    }

    private static String names(Json list) {
        if (!list.isArray() || list.isEmpty()) {
            return "(null)";
        }
        StringBuilder b = new StringBuilder();
        for (Json name : list) {
            b.append(b.length() == 0 ? "" : ",").append(name.asText());
        }
        return b.toString();
    }
}
