package dev.cadre.node.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.NodeCommand;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to start one attempt: where, with what environment, and where its streams go. Built by
 * {@link LaunchPlanner}, a pure function of the place-job and the node.
 *
 * @param stderr null when stderr shares the stdout file
 * @param stdin null for /dev/null
 */
public record LaunchPlan(NodeCommand.PlaceJob place, Path workDir, Map<String, String> environment, Path stdout,
        Path stderr, Path stdin, boolean append) {
    public Allocation allocation() {
        return place.allocation();
    }
}
