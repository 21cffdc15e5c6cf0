package dev.cadre.node.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.NodeCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start one attempt: where, with what environment, and where its streams go. Built by
 * {@link LaunchPlanner}, a pure function of the place-job and the node.
 *
 * @param stderr null when stderr shares the stdout file
 * @param stdin null for /dev/null
 * @param launcher what runs the script: empty to run it directly, an MPI launcher for an MPI job
 */
public record LaunchPlan(NodeCommand.PlaceJob place, Path workDir, Map<String, String> environment, Path stdout,
        Path stderr, Path stdin, boolean append, List<String> launcher) {
    public Allocation allocation() {
        return place.allocation();
    }
}
