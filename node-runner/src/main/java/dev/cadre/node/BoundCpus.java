package dev.cadre.node;

import dev.cadre.node.core.CpuChoice;
import dev.cadre.node.core.CpuList;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.NodeCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CPUs each attempt of the node is bound to ({@link CpuChoice}): chosen as it starts from those the node-runner
 * may run on, none held by another running attempt, and set by its wrapper on itself before it runs the script, so
 * the script and every process it starts inherit them. What a running attempt holds is its {@link
 * RunningAttempt#cpus}; one being started holds its choice here until it is listed. A restarted runner reads what an
 * adopted attempt holds back from its wrapper's {@code /proc/PID/status}.
 *
 * <p>The remote commands of an attempt run on its CPUs too ({@link AttemptCpus}): on the node that runs its script,
 * on those of its wrapper; on a node that only holds part of its allocation for remote commands, on CPUs chosen here
 * as the node takes the attempt, which batch jobs started later do not get, and which the held attempt's record keeps
 * for a restarted runner ({@link ExecRecords#hold}).
 */
final class BoundCpus {
    private static final Logger LOG = LoggerFactory.getLogger(BoundCpus.class);
    /** Binds nothing. */
    static final BoundCpus NONE = new BoundCpus(Collections.emptySortedSet(), null);

    /** The CPUs attempts are bound within; empty when the node binds none. */
    private final SortedSet<Integer> allowed;
    private final String nodeId;
    /** The choices of attempts being started, by {@link RunningAttempt#key}. */
    private final Map<String, SortedSet<Integer>> starting = new HashMap<>();
    /** The CPUs of the attempts held here for other nodes' jobs, by key; empty for one that runs unbound. */
    private final Map<String, SortedSet<Integer>> heldElsewhere = new HashMap<>();

    private BoundCpus(SortedSet<Integer> allowed, String nodeId) {
        this.allowed = allowed;
        this.nodeId = nodeId;
    }

    /** The node's binding, said in its log once, with the reason when it binds nothing. */
    static BoundCpus choose(CpuChoice.Mode mode, int declaredCores, String nodeId) {
        SortedSet<Integer> allowed = mode == CpuChoice.Mode.NONE ? Collections.emptySortedSet()
                : cpusOf("self").orElse(Collections.emptySortedSet());
        Optional<String> unbound = CpuChoice.whyUnbound(mode, declaredCores, allowed);
        if (unbound.isPresent()) {
            LOG.info("cpu binding: none, jobs may run on any CPU ({})", unbound.get());
            return NONE;
        }
        LOG.info("cpu binding: cores, each job to the CPUs it was given of {}", CpuList.format(allowed));
        return new BoundCpus(allowed, nodeId);
    }

    /** The CPUs a process may run on; empty when it is gone or says none. */
    static Optional<SortedSet<Integer>> cpusOf(String pid) {
        try {
            return CpuList.fromStatus(Files.readString(Path.of("/proc", pid, "status")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    boolean binds() {
        return !allowed.isEmpty();
    }

    /**
     * Chooses the attempt's CPUs and holds them until {@link #started}; empty (it runs unbound) when the node binds
     * none or too few are free, which is logged.
     */
    synchronized SortedSet<Integer> take(NodeCommand.PlaceJob place, Collection<RunningAttempt> running) {
        if (!binds()) {
            return Collections.emptySortedSet();
        }
        SortedSet<Integer> chosen = choose(place, running);
        if (!chosen.isEmpty()) {
            starting.put(RunningAttempt.key(place.jobId(), place.attempt()), chosen);
        }
        return chosen;
    }

    /** The lowest CPUs free of every running, starting and held attempt; empty, logged, when too few are. */
    private SortedSet<Integer> choose(NodeCommand.PlaceJob place, Collection<RunningAttempt> running) {
        Set<Integer> held = new HashSet<>();
        // A suspended attempt's CPUs go to other jobs, as its cores do on the head; after its resume they share them.
        running.stream().filter(r -> !r.suspended).forEach(r -> held.addAll(r.cpus));
        starting.values().forEach(held::addAll);
        heldElsewhere.values().forEach(held::addAll);
        int cpus = slotCpus(place);
        Optional<SortedSet<Integer>> chosen = CpuChoice.choose(allowed, held, cpus, place.spec().wholeNodes());
        if (chosen.isEmpty()) {
            LOG.warn("job {} attempt {}: not bound to CPUs: it has {} here and {} of {} are free", place.jobId(),
                    place.attempt(), cpus, allowed.size() - held.stream().filter(allowed::contains).count(),
                    CpuList.format(allowed));
            return Collections.emptySortedSet();
        }
        return chosen.get();
    }

    /**
     * The CPUs of the node's attempts for their remote commands, and those of the attempts held here for other
     * nodes' jobs, beside the attempts this node runs ({@code running}, by {@link RunningAttempt#key}).
     */
    AttemptCpus forCommands(Map<String, RunningAttempt> running) {
        if (!binds()) {
            return AttemptCpus.NONE;
        }
        return new AttemptCpus() {
            @Override
            public SortedSet<Integer> hold(NodeCommand.PlaceJob place) {
                synchronized (BoundCpus.this) {
                    String key = RunningAttempt.key(place.jobId(), place.attempt());
                    SortedSet<Integer> known = heldElsewhere.get(key);
                    if (known == null) {
                        known = choose(place, running.values());
                        heldElsewhere.put(key, known);
                        LOG.info("job {} attempt {}: its remote commands here bound to CPUs {}", place.jobId(),
                                place.attempt(), known.isEmpty() ? "none" : CpuList.format(known));
                    }
                    return known;
                }
            }

            @Override
            public void heldAgain(NodeCommand.PlaceJob place, SortedSet<Integer> cpus) {
                synchronized (BoundCpus.this) {
                    heldElsewhere.put(RunningAttempt.key(place.jobId(), place.attempt()), cpus);
                }
            }

            @Override
            public void release(long jobId, int attempt) {
                synchronized (BoundCpus.this) {
                    heldElsewhere.remove(RunningAttempt.key(jobId, attempt));
                }
            }

            @Override
            public SortedSet<Integer> of(long jobId, int attempt) {
                return known(jobId, attempt).orElse(Collections.emptySortedSet());
            }

            @Override
            public Optional<SortedSet<Integer>> known(long jobId, int attempt) {
                String key = RunningAttempt.key(jobId, attempt);
                synchronized (BoundCpus.this) {
                    SortedSet<Integer> cpus = heldElsewhere.getOrDefault(key, starting.get(key));
                    if (cpus != null) {
                        return Optional.of(cpus);
                    }
                }
                return Optional.ofNullable(running.get(key)).filter(r -> r.cpusKnown).map(r -> r.cpus);
            }
        };
    }

    /** The attempt is listed as running, or did not start: its choice is no longer held here. */
    synchronized void started(NodeCommand.PlaceJob place) {
        starting.remove(RunningAttempt.key(place.jobId(), place.attempt()));
    }

    /** What an adopted attempt, whose wrapper is {@code pid}, holds. */
    SortedSet<Integer> adopted(long pid, NodeCommand.PlaceJob place) {
        if (!binds()) {
            return Collections.emptySortedSet();
        }
        return CpuChoice.heldByAdopted(cpusOf(Long.toString(pid)).orElse(Collections.emptySortedSet()),
                slotCpus(place), place.spec().wholeNodes());
    }

    private int slotCpus(NodeCommand.PlaceJob place) {
        return place.allocation().nodes().stream().filter(n -> n.nodeId().equals(nodeId))
                .mapToInt(Allocation.NodeSlots::cpus).findFirst().orElse(0);
    }
}
