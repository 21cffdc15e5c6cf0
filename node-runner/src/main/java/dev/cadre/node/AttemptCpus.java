package dev.cadre.node;

import dev.cadre.protocol.NodeCommand;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The CPUs the remote commands of the node's attempts run on ({@link BoundCpus#forCommands}): an attempt whose
 * script runs here has its wrapper's; one held here only for remote commands ({@link HeldAttempts}) has CPUs chosen
 * as the node takes it, held from batch jobs until it ends. Empty for an attempt that runs unbound.
 */
interface AttemptCpus {
    /** The node binds nothing. */
    AttemptCpus NONE = new AttemptCpus() {
        @Override
        public SortedSet<Integer> hold(NodeCommand.PlaceJob place) {
            return Collections.emptySortedSet();
        }

        @Override
        public void heldAgain(NodeCommand.PlaceJob place, SortedSet<Integer> cpus) {
        }

        @Override
        public void release(long jobId, int attempt) {
        }

        @Override
        public SortedSet<Integer> of(long jobId, int attempt) {
            return Collections.emptySortedSet();
        }

        @Override
        public Optional<SortedSet<Integer>> known(long jobId, int attempt) {
            return Optional.of(Collections.emptySortedSet());
        }
    };

    /** Chooses the CPUs of an attempt held here for another node's job, unless it holds some already. */
    SortedSet<Integer> hold(NodeCommand.PlaceJob place);

    /** A restarted runner: the held attempt has the CPUs its record kept, and no new choice is made for it. */
    void heldAgain(NodeCommand.PlaceJob place, SortedSet<Integer> cpus);

    /** The held attempt ended and its commands here are gone: its CPUs go to other jobs. */
    void release(long jobId, int attempt);

    /** What the attempt's remote commands here are bound to. */
    SortedSet<Integer> of(long jobId, int attempt);

    /**
     * What the attempt holds here, for the head (a heartbeat's {@code cpus}): its script's CPUs where it runs here,
     * its remote commands' where it is held here, none (empty) where it runs unbound; absent for an attempt this node
     * neither runs nor holds (one whose commands are still being killed), of which it says nothing.
     */
    Optional<SortedSet<Integer>> known(long jobId, int attempt);
}
