package dev.cadre.scheduler.core;

import dev.cadre.protocol.NodeCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the place-jobs bound for one node into place-jobs messages: a scheduling pass that starts many jobs then
 * costs the broker a message per node instead of one per job. Each node's queue still receives its commands in
 * the order they were decided; only the order between different nodes' queues, which nothing relies on, changes.
 */
public final class NodeCommandBatches {
    private NodeCommandBatches() {
    }

    /**
     * @param perMessage the most place-jobs one message holds
     * @return the messages to send, a lone place-job left as it is
     */
    public static List<Outgoing> combine(List<Outgoing> messages, int perMessage) {
        if (perMessage < 1) {
            throw new IllegalArgumentException("perMessage must be at least 1, not " + perMessage);
        }
        List<Outgoing> out = new ArrayList<>(messages.size());
        Map<String, List<NodeCommand.PlaceJob>> waiting = new LinkedHashMap<>();
        for (Outgoing o : messages) {
            if (o.message() instanceof NodeCommand.PlaceJob place) {
                List<NodeCommand.PlaceJob> list = waiting.computeIfAbsent(o.destination(), d -> new ArrayList<>());
                list.add(place);
                if (list.size() == perMessage) {
                    out.add(message(o.destination(), waiting.remove(o.destination())));
                }
            } else {
                // Whatever was placed on that node before this command must reach it first.
                List<NodeCommand.PlaceJob> before = waiting.remove(o.destination());
                if (before != null) {
                    out.add(message(o.destination(), before));
                }
                out.add(o);
            }
        }
        waiting.forEach((destination, list) -> out.add(message(destination, list)));
        return out;
    }

    /** The placements as one message, or halves of them while there are two or more. */
    public static List<Outgoing> split(Outgoing batch) {
        if (!(batch.message() instanceof NodeCommand.PlaceJobs many) || many.placements().size() < 2) {
            return List.of(batch);
        }
        List<NodeCommand.PlaceJob> all = many.placements();
        int half = all.size() / 2;
        return List.of(message(batch.destination(), all.subList(0, half)),
                message(batch.destination(), all.subList(half, all.size())));
    }

    private static Outgoing message(String destination, List<NodeCommand.PlaceJob> placements) {
        return new Outgoing(destination, placements.size() == 1 ? placements.get(0)
                : new NodeCommand.PlaceJobs(placements));
    }
}
