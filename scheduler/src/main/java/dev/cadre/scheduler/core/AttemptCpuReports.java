package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.CpuIdList;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.RunnerEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the nodes say of the CPU ids each attempt holds on them (runner-running's {@code cpus}, node-heartbeat's), to
 * be stored for scontrol -d show job: for the job's current, active attempt on a node of its allocation, and only
 * when it differs from what that node last said of it, so that a heartbeat every two seconds stores nothing new.
 * What each node said is kept for the attempts it lists, and forgotten with them; a restarted head stores each once
 * more from the first heartbeats.
 */
final class AttemptCpuReports {
    /** By node id, what the node last said of each attempt (by job id and attempt), in Linux's list format. */
    private final Map<String, Map<Attempt, String>> said = new HashMap<>();

    private record Attempt(long jobId, int attempt) {
    }

    /** The attempt's script started on the node, which says what it is bound to (null: nothing). */
    Decisions started(JobRecord j, RunnerEvent.RunnerRunning r) {
        Decisions d = new Decisions();
        if (r.cpus() != null) {
            told(j, r.nodeId(), r.cpus(), d);
        }
        return d;
    }

    /** The CPUs of the attempts the node lists; what it said of attempts it no longer lists is forgotten. */
    Decisions heard(JobTable jobs, RunnerEvent.NodeHeartbeat hb) {
        Decisions d = new Decisions();
        for (RunnerEvent.HeldCpus c : hb.cpus()) {
            JobRecord j = jobs.get(c.jobId());
            if (j != null && j.attempt() == c.attempt() && j.state().isActive()) {
                told(j, hb.nodeId(), c.cpus(), d);
            }
        }
        Map<Attempt, String> node = said.get(hb.nodeId());
        if (node != null) {
            Set<Attempt> listed = new HashSet<>();
            hb.running().forEach(a -> listed.add(new Attempt(a.jobId(), a.attempt())));
            node.keySet().retainAll(listed);
            if (node.isEmpty()) {
                said.remove(hb.nodeId());
            }
        }
        return d;
    }

    private void told(JobRecord j, String nodeId, String cpus, Decisions d) {
        List<Allocation.NodeSlots> slots = j.allocation().nodes();
        int index = j.allocation().nodeIds().indexOf(nodeId);
        if (index < 0 || CpuIdList.problem(cpus) != null) {
            return;
        }
        String normalized = CpuIdList.normalized(cpus);
        String before = said.computeIfAbsent(nodeId, n -> new HashMap<>()).put(new Attempt(j.id(), j.attempt()),
                normalized);
        if (!normalized.equals(before)) {
            Allocation.NodeSlots slot = slots.get(index);
            d.cpusSaid(new Decisions.CpusSaid(j.id(), j.attempt(), nodeId, index, slot.hostname(), normalized,
                    slot.memoryMb()));
        }
    }
}
