package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.HostList;
import dev.cadre.protocol.ResourceUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A running job's usage as {@code GET /api/jobs/ID/usage} answers (docs/protocol.md 15): each node's reading, the
 * first node (which runs the script) first. A Cadre job has one step, its batch step, with one task whose figures
 * include the remote commands (MPI ranks) on every node: its CPU time is the sum of the nodes', its memory the largest
 * one node holds, as sacct counts a finished job's; its virtual memory and disk bytes, too, the largest one node's,
 * the closest to Slurm's largest task's that a reading per node gives.
 *
 * @param jobId the job's id as sstat shows it: the REST API's number (an array task's own)
 */
public record SstatReading(String jobId, List<SstatReading.Node> nodes) {

    /**
     * One node's reading.
     *
     * @param usage what the attempt has used there so far, null when unknown
     * @param rssBytes the resident memory of its processes there now, null when unknown
     * @param vmSizeBytes their virtual memory now, null when unknown (a node-runner before it)
     * @param diskReadBytes what they read from storage, null when unknown
     * @param diskWriteBytes what they wrote to storage, null when unknown
     * @param error why the node gave no figures, else null
     */
    public record Node(String hostname, ResourceUsage usage, Long rssBytes, Long vmSizeBytes, Long diskReadBytes,
            Long diskWriteBytes, List<Long> pids, String error) {
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
                    ReportedUsage.figure(n, "vmSizeBytes"), ReportedUsage.figure(n, "diskReadBytes"),
                    ReportedUsage.figure(n, "diskWriteBytes"), pids, error));
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
        List<String> hosts = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        for (Node n : answered) {
            hosts.add(n.hostname());
            pids.addAll(n.pids());
            Long used = n.usage() == null ? null : n.usage().totalCpuMicros();
            if (used != null) {
                cpu = cpu == null ? used : saturatedSum(cpu, used);
            }
        }
        return new SstatRow(jobId + ".batch", HostList.compress(hosts), joined(pids), 1, cpu,
                answered.get(0).hostname(), largest(answered, Node::memory), largest(answered, Node::vmSizeBytes),
                largest(answered, Node::diskReadBytes), largest(answered, Node::diskWriteBytes));
    }

    /** The figure's largest value over the nodes, the first node that has it on a tie. */
    private static SstatRow.Largest largest(List<Node> nodes, Function<Node, Long> figure) {
        SstatRow.Largest most = SstatRow.Largest.UNKNOWN;
        for (Node n : nodes) {
            Long value = figure.apply(n);
            if (value != null && (most.bytes() == null || value > most.bytes())) {
                most = new SstatRow.Largest(value, n.hostname());
            }
        }
        return most;
    }

    /** sstat -i: a row per node that answered, with its processes. */
    public List<SstatRow> perNode() {
        List<SstatRow> rows = new ArrayList<>();
        for (Node n : answered()) {
            rows.add(new SstatRow(jobId + ".batch", n.hostname(), joined(n.pids()), null, null, null,
                    SstatRow.Largest.UNKNOWN, SstatRow.Largest.UNKNOWN, SstatRow.Largest.UNKNOWN,
                    SstatRow.Largest.UNKNOWN));
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
