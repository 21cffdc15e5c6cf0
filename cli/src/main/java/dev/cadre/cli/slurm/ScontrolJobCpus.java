package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.CpuIdList;
import dev.cadre.protocol.HostList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * scontrol -d show job's lines on the CPUs a job holds, after Socks/Node as Slurm prints them (its scontrol
 * info_job.c): {@code JOB_GRES=}, then one line per run of nodes of the allocation that hold the same CPU ids and
 * memory, {@code   Nodes=HOSTLIST CPU_IDs=LIST Mem=MB GRES=}, indented two more. Only with -d, as slurmctld sends
 * the job's resources only when asked for details; only for a job whose current attempt holds CPUs (started and not
 * pending again after a requeue; an ended job keeps its last attempt's, as Slurm keeps its resources until it purges
 * the job); only the nodes that said which CPUs they gave it (a node-runner from before says nothing), one that ran
 * it unbound with {@code CPU_IDs=} empty. A node that said which GPUs it gave the job shows them as Slurm's gres
 * detail does, {@code GRES=gpu:COUNT(IDX:LIST)} with the indexes in ranges ({@code gpu:2(IDX:0-1)}), on a node whose
 * GPUs have types one such entry per type ({@code gpu:a100:1(IDX:0),gpu:v100:1(IDX:2)}, as Slurm's job allocation
 * holds one entry per type it gave, whatever type the job asked for); one that gave it none, or did not say, shows
 * {@code GRES=} empty. {@code JOB_GRES=} is the job's GPUs, per type where its nodes name types ({@code
 * gpu:a100:2}).
 */
final class ScontrolJobCpus {
    private ScontrolJobCpus() {
    }

    /** The lines, none when the job holds no CPUs its nodes told of; {@code job} as GET /api/jobs/ID answers. */
    static List<String> lines(Json job) {
        List<String> lines = new ArrayList<>();
        Json nodes = current(job);
        if (nodes == null) {
            return lines;
        }
        lines.add("JOB_GRES=" + jobGres(job, nodes));
        List<String> run = new ArrayList<>();
        String runCpus = null;
        long runMemory = 0;
        String runGres = null;
        for (Json node : nodes) {
            String cpus = node.path("cpus").asText("");
            long memory = node.path("memoryMb").asLong(0);
            String gres = gres(node);
            if (!run.isEmpty() && (!cpus.equals(runCpus) || memory != runMemory || !gres.equals(runGres))) {
                lines.add(line(run, runCpus, runMemory, runGres));
                run.clear();
            }
            run.add(node.path("hostname").asText());
            runCpus = cpus;
            runMemory = memory;
            runGres = gres;
        }
        lines.add(line(run, runCpus, runMemory, runGres));
        return lines;
    }

    /**
     * Slurm's gres detail of one node ({@code gpu:2(IDX:0-1)}, {@code gpu:a100:1(IDX:0)} per type); empty when it
     * holds no GPU there or did not say.
     */
    private static String gres(Json node) {
        Json types = node.path("gpuTypes");
        if (!types.isObject()) {
            return detail("gpu", node.path("gpus"));
        }
        StringJoiner out = new StringJoiner(",");
        types.fieldNames().forEach(type -> out.add(detail("gpu:" + type, types.path(type))));
        return out.toString();
    }

    private static String detail(String name, Json gpus) {
        SortedSet<Integer> indexes = new TreeSet<>();
        for (Json g : gpus) {
            indexes.add(g.asInt());
        }
        return indexes.isEmpty() ? "" : name + ":" + indexes.size() + "(IDX:" + CpuIdList.format(indexes) + ")";
    }

    /**
     * Slurm's JOB_GRES, the job's GPUs in all: per type what its nodes say they gave it where they name types, else
     * the count it asked for, of its type if it named one.
     */
    private static String jobGres(Json job, Json nodes) {
        Map<String, Integer> byType = new LinkedHashMap<>();
        for (Json node : nodes) {
            Json types = node.path("gpuTypes");
            if (types.isObject()) {
                types.fieldNames().forEach(t -> byType.merge(t, types.path(t).size(), Integer::sum));
            }
        }
        if (!byType.isEmpty()) {
            StringJoiner out = new StringJoiner(",");
            byType.forEach((type, n) -> out.add("gpu:" + type + ":" + n));
            return out.toString();
        }
        Json spec = job.path("spec");
        int gpus = spec.path("gpusPerTask").asInt(0) * Math.max(1, job.path("tasks").asInt(1));
        String type = spec.hasNonNull("gpuType") ? spec.path("gpuType").asText() + ":" : "";
        return gpus > 0 ? "gpu:" + type + gpus : "(null)";
    }

    /** What the nodes said of the job's current attempt, or null when it holds none or none said. */
    private static Json current(Json job) {
        if (job.path("state").asText().equals("PENDING")) {
            return null;
        }
        int attempt = job.path("attempt").asInt(0);
        for (Json a : job.path("attempts")) {
            if (a.path("attempt").asInt(-1) == attempt && a.path("cpus").isArray() && !a.path("cpus").isEmpty()) {
                return a.path("cpus");
            }
        }
        return null;
    }

    private static String line(List<String> hosts, String cpus, long memory, String gres) {
        return "  Nodes=" + HostList.compress(hosts) + " CPU_IDs=" + cpus + " Mem=" + memory + " GRES=" + gres;
    }
}
