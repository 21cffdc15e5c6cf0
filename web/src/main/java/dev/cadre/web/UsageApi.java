package dev.cadre.web;

import dev.cadre.db.NodeStore;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.ResourceUsage;
import dev.cadre.protocol.UsageMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * GET /api/jobs/ID/usage: what a running job has used so far (sstat), read where it runs: a read-usage to every
 * node of its allocation at once (protocol.md 15), their answers joined. A node that is down or silent is named
 * in its entry rather than failing the whole answer, since the others' figures still tell something; only the
 * coordinator, which runs the script, must be up.
 */
final class UsageApi {
    /**
     * One node's reading.
     *
     * @param coordinator whether the node runs the attempt's script
     * @param vmSizeBytes virtual memory now; null from a node before it ({@link UsageMessage.UsageReading})
     * @param error why the node's figures are missing (it is down, silent, or has no record of the attempt)
     */
    record NodeUsage(String nodeId, String hostname, boolean coordinator, boolean running, ResourceUsage usage,
            Long rssBytes, Long vmSizeBytes, Long diskReadBytes, Long diskWriteBytes, List<Long> pids, Instant time,
            String error) {
    }

    /** The answer: the job's running attempt and each node's reading, the coordinator's first. */
    record View(long jobId, int attempt, List<NodeUsage> nodes) {
    }

    private final JobLookup lookup;
    private final NodeStore nodes;
    private final NodeReads reads;
    private final BrokerWaits waits;

    UsageApi(JobLookup lookup, NodeStore nodes, NodeReads reads, BrokerWaits waits) {
        this.lookup = lookup;
        this.nodes = nodes;
        this.reads = reads;
        this.waits = waits;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/api/jobs/{id}/usage", Map.of("id", JobReference.SYNTAX), Route.Access.TOKEN,
                this::usage));
    }

    private View usage(Exchange x) throws Exception {
        String id = x.parameter(0);
        JobRecord job = lookup.require(id);
        Allocation allocation = job.allocation();
        if (!job.state().isActive() || allocation == null) {
            throw new ApiException(409, "job " + id + " is " + job.state() + ": only a running job's usage can be"
                    + " read; sacct shows what a finished job used", null, job.state());
        }
        Map<String, NodeRecord> known = nodes.list().stream().collect(Collectors.toMap(NodeRecord::id,
                Function.identity(), (a, b) -> a));
        Allocation.NodeSlots first = allocation.coordinator();
        NodeRecord coordinator = known.get(first.nodeId());
        if (coordinator == null || coordinator.state() == NodeRecord.NodeState.DOWN) {
            throw new ApiException(503, "node " + first.hostname() + " runs job " + id + "'s script and is "
                    + (coordinator == null ? "no longer known" : "DOWN") + "; its usage can be read once it is back");
        }
        UsageMessage.ReadUsage request = new UsageMessage.ReadUsage(job.id(), job.attempt());
        List<NodeUsage> answers = waits.await(() -> {
            List<CompletableFuture<NodeUsage>> asked = new ArrayList<>();
            for (Allocation.NodeSlots slot : allocation.nodes()) {
                NodeRecord node = known.get(slot.nodeId());
                boolean isFirst = slot == first;
                if (node == null || node.state() == NodeRecord.NodeState.DOWN) {
                    asked.add(CompletableFuture.completedFuture(missing(slot, isFirst, "node " + slot.hostname()
                            + " is " + (node == null ? "no longer known" : "DOWN"))));
                } else {
                    asked.add(reads.usage(slot.nodeId(), request).handle((r, failure) -> failure == null
                            ? new NodeUsage(slot.nodeId(), slot.hostname(), isFirst, r.running(), r.usage(),
                                    r.rssBytes(), r.vmSizeBytes(), r.diskReadBytes(), r.diskWriteBytes(), r.pids(),
                                    r.time(), r.error())
                            : missing(slot, isFirst, silence(slot, failure))));
                }
            }
            return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new))
                    .thenApply(v -> asked.stream().map(CompletableFuture::join).toList());
        });
        return new View(job.id(), job.attempt(), answers);
    }

    private static NodeUsage missing(Allocation.NodeSlots slot, boolean coordinator, String why) {
        return new NodeUsage(slot.nodeId(), slot.hostname(), coordinator, false, null, null, null, null, null,
                List.of(), null, why);
    }

    private static String silence(Allocation.NodeSlots slot, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof TimeoutException
                ? "node " + slot.hostname() + " did not answer within " + NodeReads.USAGE_ANSWER_MILLIS / 1000 + " s"
                : "no usable answer from node " + slot.hostname() + ": " + cause.getMessage();
    }
}
