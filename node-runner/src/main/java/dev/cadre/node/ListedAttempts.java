package dev.cadre.node;

import dev.cadre.protocol.CpuIdList;
import dev.cadre.protocol.RunnerEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
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
    private final AttemptShares shares;

    /**
     * @param here the attempts whose scripts run here ({@link JobSupervisor#running})
     * @param elsewhere those held for other coordinators, or whose commands are being killed
     *     ({@link ExecService#heldElsewhereCoordinated}); none where the node has no exec service
     * @param shares what each holds ({@link JobSupervisor#shares}); a node without GPUs says nothing of them
     */
    ListedAttempts(Supplier<List<RunnerEvent.RunningAttempt>> here,
            Supplier<List<RunnerEvent.RunningAttempt>> elsewhere, AttemptShares shares) {
        this.here = here;
        this.elsewhere = elsewhere;
        this.shares = shares;
    }

    Listed now() {
        Set<RunnerEvent.RunningAttempt> listed = new LinkedHashSet<>(here.get());
        listed.addAll(elsewhere.get());
        List<RunnerEvent.HeldCpus> held = new ArrayList<>();
        boolean saysGpus = shares.nodeGpus().count() > 0;
        for (RunnerEvent.RunningAttempt a : listed) {
            Optional<AttemptShares.Share> share = shares.known(a.jobId(), a.attempt());
            if (share.isPresent()) {
                held.add(new RunnerEvent.HeldCpus(a.jobId(), a.attempt(), CpuIdList.format(share.get().cpus()),
                        saysGpus ? share.get().gpus() : null));
            } else if (!shares.cpus().binds()) {
                // Unbound, every attempt runs on no CPUs of its own, whatever the node knows of it.
                held.add(new RunnerEvent.HeldCpus(a.jobId(), a.attempt(), "", null));
            }
        }
        return new Listed(List.copyOf(listed), held);
    }
}
