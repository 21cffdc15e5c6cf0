package dev.cadre.scheduler.core;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import java.time.Clock;

/** What an administrator asks of nodes, as {@link JobControl} is for jobs: drain, resume, and forgetting one. */
public final class NodeControl {
    private final NodeDrains drains;
    private final NodeDeletions deletions;

    NodeControl(Clock clock, JobTable jobs, NodeLiveness nodes) {
        this.drains = new NodeDrains(clock, nodes);
        this.deletions = new NodeDeletions(jobs, nodes);
    }

    /** scontrol update NodeName=N State=DRAIN: no new job is placed on the node until it is resumed. */
    public JobControl.Outcome<ClientReply.NodeResult> drain(ControlRequest.DrainNode request) {
        return drains.drain(request);
    }

    /** scontrol update NodeName=N State=RESUME. */
    public JobControl.Outcome<ClientReply.NodeResult> resume(ControlRequest.ResumeNode request) {
        return drains.resume(request);
    }

    /** scontrol delete NodeName=N: forgets a DOWN node that holds no job. */
    public JobControl.Outcome<ClientReply.NodeResult> delete(ControlRequest.DeleteNode request) {
        return deletions.delete(request);
    }
}
