package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.HostList;
import dev.cadre.protocol.ResourceUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * A running job's usage as {@code GET /api/jobs/ID/usage} answers (docs/protocol.md 15): each node's reading, the
 * first node (which runs the script) first. A Cadre job has one step, its batch step, with one task whose figures
 * include the remote commands (MPI ranks) on every node: its CPU time is the sum of the nodes', its memory the largest
 * one node holds, as sacct counts a finished job's.
 *
 * @param jobId the job's id as sstat shows it: the REST API's number (an array task's own)
 */
public record SstatReading(String jobId, List<SstatReading.Node> nodes) {

    /**
     * One node's reading.
     *
     * @param usage what the attempt has used there so far, null when unknown
     * @param rssBytes the resident memory of its processes there now, null when unknown
     * @param error why the node gave no figures, else null
     */
    public record Node(String hostname, ResourceUsage usage, Long rssBytes, List<Long> pids, String error) {
        /** Its peak where the node keeps one, else what it holds now (the larger where it gives both). */
        Long memory() {
            Long peak = usage == null ? null : usage.maxRssBytes();
            if (peak == null || rssBytes == null) {
                return peak == null ? rssBytes : peak;
            }
            return Math.max(peak, rssBytes);
        }
    }

    /** @param asked the job as sstat was asked for it, shown when the answer has no id */
    public static SstatReading of(Json answer, String asked) {
        List<Node> nodes = new ArrayList<>();
        for (Json n : answer.path("nodes")) {
            List<Long> pids = new ArrayList<>();
            for (Json pid : n.path("pids")) {
                pids.add(pid.asLong());
            }
            String error = n.hasNonNull("error") ? n.path("error").asText() : null;
            nodes.add(new Node(n.path("hostname").asText(), ReportedUsage.of(n), ReportedUsage.figure(n, "rssBytes"),
                    pids, error));
        }
        String id = answer.path("jobId").isNumber() ? Long.toString(answer.path("jobId").asLong()) : asked;
        return new SstatReading(id, nodes);
    }

    /** The nodes that gave figures. */
    public List<Node> answered() {
        List<Node> answered = new ArrayList<>();
        for (Node n : nodes) {
            if (n.error() == null) {
                answered.add(n);
            }
        }
        return answered;
    }

    /** A line for each node whose figures are left out, for stderr. */
    public List<String> warnings() {
        List<String> lines = new ArrayList<>();
        for (Node n : nodes) {
            if (n.error() != null) {
                lines.add("sstat: warning: job " + jobId + ": no figures from " + n.hostname() + ", left out: "
                        + n.error());
            }
        }
        return lines;
    }

    /** The batch step's row over the nodes that answered; null when none did. */
    public SstatRow step() {
        List<Node> answered = answered();
        if (answered.isEmpty()) {
            return null;
        }
        Long cpu = null;
        Long memory = null;
        String memoryNode = null;
        List<String> hosts = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        for (Node n : answered) {
            hosts.add(n.hostname());
            pids.addAll(n.pids());
            Long used = n.usage() == null ? null : n.usage().totalCpuMicros();
            if (used != null) {
                cpu = cpu == null ? used : saturatedSum(cpu, used);
            }
            Long held = n.memory();
            if (held != null && (memory == null || held > memory)) {
                memory = held;
                memoryNode = n.hostname();
            }
        }
        return new SstatRow(jobId + ".batch", HostList.compress(hosts), joined(pids), 1, cpu,
                answered.get(0).hostname(), memory, memoryNode);
    }

    /** sstat -i: a row per node that answered, with its processes. */
    public List<SstatRow> perNode() {
        List<SstatRow> rows = new ArrayList<>();
        for (Node n : answered()) {
            rows.add(new SstatRow(jobId + ".batch", n.hostname(), joined(n.pids()), null, null, null, null, null));
        }
        return rows;
    }

    private static long saturatedSum(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    private static String joined(List<Long> pids) {
        StringBuilder out = new StringBuilder();
        for (Long pid : pids) {
            out.append(out.length() == 0 ? "" : ",").append(pid);
        }
        return out.length() == 0 ? null : out.toString();
    }
}
