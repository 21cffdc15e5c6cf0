package dev.cadre.node;

import dev.cadre.node.core.CpuList;
import dev.cadre.node.core.NodeGpus;
import dev.cadre.protocol.NodeCommand;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each attempt of the node holds of its CPUs and GPUs, by {@link RunningAttempt#key}: an attempt being started
 * holds its choice here until it is listed as running, from when its {@link RunningAttempt} says it; one held here
 * for another node's job holds its remote commands' share here until it is released. Which CPUs and which GPUs an
 * attempt gets is {@link BoundCpus}' and {@link BoundGpus}' choice, made here under one lock against what every other
 * attempt holds, so that two attempts started or held at once never get the same.
 */
final class AttemptShares {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptShares.class);

    /** One attempt's CPUs (empty: it runs unbound) and GPUs (empty: none), lowest first. */
    record Share(SortedSet<Integer> cpus, List<Integer> gpus) {
        static final Share NONE = new Share(Collections.emptySortedSet(), List.of());
    }

    private final BoundCpus cpus;
    /** None on a node without GPUs, until {@link #bindGpus}. */
    private volatile BoundGpus gpus = BoundGpus.NONE;
    /** The attempts whose scripts run here ({@link JobSupervisor#running}). */
    private final Map<String, RunningAttempt> running;
    private final Map<String, Share> starting = new HashMap<>();
    private final Map<String, Share> heldElsewhere = new HashMap<>();

    AttemptShares(BoundCpus cpus, Map<String, RunningAttempt> running) {
        this.cpus = cpus;
        this.running = running;
    }

    /** The node's GPUs, which attempts are given from here on: set before any is started, held or adopted. */
    void bindGpus(BoundGpus given) {
        this.gpus = given;
    }

    BoundCpus cpus() {
        return cpus;
    }

    BoundGpus gpus() {
        return gpus;
    }

    /** Chooses the CPUs and GPUs of an attempt whose script starts here, held until {@link #started}. */
    synchronized Share take(NodeCommand.PlaceJob place) {
        Share chosen = choose(place);
        starting.put(key(place), chosen);
        return chosen;
    }

    /** The attempt is listed as running, or did not start: its choice is no longer held here. */
    synchronized void started(NodeCommand.PlaceJob place) {
        starting.remove(key(place));
    }

    /** Chooses the share of an attempt held here for another node's job, unless it holds one already. */
    synchronized Share hold(NodeCommand.PlaceJob place) {
        Share known = heldElsewhere.get(key(place));
        if (known == null) {
            known = choose(place);
            heldElsewhere.put(key(place), known);
            if (cpus.binds() || !known.gpus().isEmpty()) {
                LOG.info("job {} attempt {}: its remote commands here bound to CPUs {}, given GPUs {}",
                        place.jobId(), place.attempt(), known.cpus().isEmpty() ? "none" : CpuList.format(known.cpus()),
                        known.gpus().isEmpty() ? "none" : known.gpus());
            }
        }
        return known;
    }

    /** A restarted runner: the held attempt has the share its record kept, and no new choice is made for it. */
    synchronized void heldAgain(NodeCommand.PlaceJob place, Share share) {
        heldElsewhere.put(key(place), share);
    }

    /** The held attempt's commands here are gone: its CPUs and GPUs go to other jobs. */
    synchronized void release(long jobId, int attempt) {
        heldElsewhere.remove(RunningAttempt.key(jobId, attempt));
    }

    /** What the attempt's remote commands here are given: its script's share, or its share held here; else none. */
    Share of(long jobId, int attempt) {
        return known(jobId, attempt).orElse(Share.NONE);
    }

    /**
     * What the attempt holds here, for the head; absent for one the node neither runs nor holds (one whose commands
     * are being killed), or runs without knowing (adopted once its wrapper had ended).
     */
    Optional<Share> known(long jobId, int attempt) {
        String key = RunningAttempt.key(jobId, attempt);
        synchronized (this) {
            Share share = heldElsewhere.getOrDefault(key, starting.get(key));
            if (share != null) {
                return Optional.of(share);
            }
        }
        return Optional.ofNullable(running.get(key)).filter(r -> r.cpusKnown).map(r -> new Share(r.cpus, r.gpus));
    }

    /** The node's GPUs, which the jobs are told of ({@link dev.cadre.node.core.GpuEnvironment}). */
    NodeGpus nodeGpus() {
        return gpus.node();
    }

    private Share choose(NodeCommand.PlaceJob place) {
        Set<Integer> heldCpus = new HashSet<>();
        Set<Integer> heldGpus = new HashSet<>();
        for (RunningAttempt r : running.values()) {
            // A suspended attempt's CPUs go to other jobs, as its cores do on the head; after its resume they share
            // them. It keeps its GPUs, as the head keeps them counted: a GPU's memory is not given back.
            if (!r.suspended) {
                heldCpus.addAll(r.cpus);
            }
            heldGpus.addAll(r.gpus);
        }
        for (Map<String, Share> shares : List.of(starting, heldElsewhere)) {
            shares.values().forEach(s -> {
                heldCpus.addAll(s.cpus());
                heldGpus.addAll(s.gpus());
            });
        }
        return new Share(cpus.choose(place, heldCpus), gpus.choose(place, heldGpus));
    }

    private static String key(NodeCommand.PlaceJob place) {
        return RunningAttempt.key(place.jobId(), place.attempt());
    }
}
