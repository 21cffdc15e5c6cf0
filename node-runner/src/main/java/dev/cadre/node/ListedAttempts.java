package dev.cadre.node;

import dev.cadre.node.core.NodeGpus;
import dev.cadre.protocol.CpuIdList;
import dev.cadre.protocol.RunnerEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a heartbeat says of the node's attempts: every attempt it runs, holds for another coordinator, or is still
 * killing commands of ({@code running}), and the CPUs and GPUs each of them holds here where the node knows them
 * ({@code cpus}). The other nodes of an allocation send nothing else as they take their share, and a restarted runner
 * tells no start of what it adopted: the head learns their CPUs from this.
 */
final class ListedAttempts {
    /** A heartbeat's {@code running} and {@code cpus}. */
    record Listed(List<RunnerEvent.RunningAttempt> running, List<RunnerEvent.HeldCpus> cpus) {
    }

    private final Supplier<List<RunnerEvent.RunningAttempt>> here;
    private final Supplier<List<RunnerEvent.RunningAttempt>> elsewhere;
    private final AttemptCpus cpus;
    private final BoundGpus gpus;

    /** Says no GPUs, as a node without any. */
    ListedAttempts(Supplier<List<RunnerEvent.RunningAttempt>> here,
            Supplier<List<RunnerEvent.RunningAttempt>> elsewhere, AttemptCpus cpus) {
        this(here, elsewhere, cpus, new BoundGpus(NodeGpus.NONE, null));
    }

    /**
     * @param here the attempts whose scripts run here ({@link JobSupervisor#running})
     * @param elsewhere those held for other coordinators, or whose commands are being killed
     *     ({@link ExecService#heldElsewhereCoordinated}); none where the node has no exec service
     * @param cpus what each holds ({@link JobSupervisor#attemptCpus})
     * @param gpus the GPUs each holds; a node without GPUs says nothing of them
     */
    ListedAttempts(Supplier<List<RunnerEvent.RunningAttempt>> here,
            Supplier<List<RunnerEvent.RunningAttempt>> elsewhere, AttemptCpus cpus, BoundGpus gpus) {
        this.here = here;
        this.elsewhere = elsewhere;
        this.cpus = cpus;
        this.gpus = gpus;
    }

    Listed now() {
        Set<RunnerEvent.RunningAttempt> listed = new LinkedHashSet<>(here.get());
        listed.addAll(elsewhere.get());
        List<RunnerEvent.HeldCpus> held = new ArrayList<>();
        boolean saysGpus = gpus.node().count() > 0;
        for (RunnerEvent.RunningAttempt a : listed) {
            cpus.known(a.jobId(), a.attempt()).ifPresent(c -> held.add(new RunnerEvent.HeldCpus(a.jobId(),
                    a.attempt(), CpuIdList.format(c), saysGpus ? gpus.known(a.jobId(), a.attempt()).orElse(null)
                    : null)));
        }
        return new Listed(List.copyOf(listed), held);
    }
}
