package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.CpuIdList;
import dev.cadre.protocol.GpuIndexes;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.RunnerEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the nodes say of the CPU ids and GPU indexes each attempt holds on them (runner-running's {@code cpus} and
 * {@code gpus}, node-heartbeat's), to be stored for scontrol -d show job: for the job's current, active attempt on a
 * node of its allocation, and only when it differs from what that node last said of it, so that a heartbeat every
 * two seconds stores nothing new. What each node said is kept for the attempts it lists, and forgotten with them; a
 * restarted head stores each once more from the first heartbeats.
 */
final class AttemptCpuReports {
    /** By node id, what the node last said of each attempt (by job id and attempt). */
    private final Map<String, Map<Attempt, Held>> said = new HashMap<>();

    private record Attempt(long jobId, int attempt) {
    }

    /** @param cpus in Linux's list format, normalized; @param gpus null when the node did not say */
    private record Held(String cpus, List<Integer> gpus) {
    }

    /** The attempt's script started on the node, which says what it is bound to (null: nothing). */
    Decisions started(JobRecord j, RunnerEvent.RunnerRunning r) {
        Decisions d = new Decisions();
        if (r.cpus() != null) {
            told(j, r.nodeId(), r.cpus(), r.gpus(), d);
        }
        return d;
    }

    /** The CPUs of the attempts the node lists; what it said of attempts it no longer lists is forgotten. */
    Decisions heard(JobTable jobs, RunnerEvent.NodeHeartbeat hb) {
        Decisions d = new Decisions();
        for (RunnerEvent.HeldCpus c : hb.cpus()) {
            JobRecord j = jobs.get(c.jobId());
            if (j != null && j.attempt() == c.attempt() && j.state().isActive()) {
                told(j, hb.nodeId(), c.cpus(), c.gpus(), d);
            }
        }
        Map<Attempt, Held> node = said.get(hb.nodeId());
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

    private void told(JobRecord j, String nodeId, String cpus, List<Integer> gpus, Decisions d) {
        List<Allocation.NodeSlots> slots = j.allocation().nodes();
        int index = j.allocation().nodeIds().indexOf(nodeId);
        if (index < 0 || CpuIdList.problem(cpus) != null || gpus != null && GpuIndexes.problem("gpus", gpus) != null) {
            return;
        }
        Map<Attempt, Held> node = said.computeIfAbsent(nodeId, n -> new HashMap<>());
        Attempt attempt = new Attempt(j.id(), j.attempt());
        Held before = node.get(attempt);
        // Saying nothing of GPUs leaves what the node said of them before (the store keeps them too).
        List<Integer> heldGpus = gpus != null ? gpus.stream().sorted().toList() : before == null ? null : before.gpus();
        Held now = new Held(CpuIdList.normalized(cpus), heldGpus);
        node.put(attempt, now);
        if (!now.equals(before)) {
            Allocation.NodeSlots slot = slots.get(index);
            d.cpusSaid(new Decisions.CpusSaid(j.id(), j.attempt(), nodeId, index, slot.hostname(), now.cpus(),
                    slot.memoryMb(), now.gpus()));
        }
    }
}
