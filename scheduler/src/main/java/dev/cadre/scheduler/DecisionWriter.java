package dev.cadre.scheduler;

import dev.cadre.db.AnsweredRequests;
import dev.cadre.db.AttemptCpus;
import dev.cadre.db.JobStore;
import dev.cadre.db.JobWrites;
import dev.cadre.db.KillHolds;
import dev.cadre.db.LateAttemptEnd;
import dev.cadre.db.NodeStore;
import dev.cadre.db.TimeLimitMailed;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.ServiceRecord;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.JobUpdates;
import dev.cadre.scheduler.core.KillHold;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a decision to SQLite, then hands what it causes to the {@link Dispatcher}: nothing is sent that is not
 * stored first. While the database's file or disk refuses writes it waits, holding the core's lock, so that the
 * scheduler stalls rather than exits or drops what it decided. Called under the core's lock, which also guards what
 * was last published of each node.
 */
final class DecisionWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionWriter.class);

    private final JobStore jobs;
    private final NodeStore nodes;
    private final Dispatcher dispatcher;
    private final Clock clock;
    /** What was last published of each node, to publish only what changed. */
    private final Map<String, NodeRecord> publishedNodes = new HashMap<>();
    private final BooleanSupplier running;
    /** Used under the core's lock, like the rest of this writer. */
    private final StorageOutage outage = new StorageOutage("the scheduler");
    /** The kill holds last stored; null until the first write, which replaces what a head before this one left. */
    private List<KillHolds.Hold> storedHolds;
    private final NodeHistoryRecorder history;

    /** @param running false once the scheduler stops, which ends a wait for the database */
    DecisionWriter(JobStore jobs, NodeStore nodes, Dispatcher dispatcher, Clock clock, BooleanSupplier running) {
        this.running = running;
        this.jobs = jobs;
        this.nodes = nodes;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.history = new NodeHistoryRecorder(nodes.history(), clock);
    }

    /**
     * @param services services whose failure count the decision's instance ends moved: stored in the same
     *        transaction as those ends, so a crash between the two cannot lose a failure
     * @param holds the slots the core holds for kills after this decision, stored when they changed
     * @return whether any job changed, or slots came free: either may let a pass place more
     */
    boolean write(Decisions d, List<ServiceRecord> services, List<KillHold> holds) {
        d.warnings().forEach(LOG::warn);
        d.notes().forEach(LOG::info);
        storeHolds(holds);
        if (d.isEmpty() && services.isEmpty() && d.answer() == null) {
            return d.freesRoom();
        }
        AnsweredRequests.Answered answer = d.answer() == null ? null : new AnsweredRequests.Answered(d.answer().key(),
                d.answer().fingerprint(), d.answer().reply(), clock.instant());
        // The node tables are written apart: a node request's answer goes after them, so that it is never stored
        // without the drain it answers (a drain or resume done twice does no harm; a job change done twice does).
        boolean nodeRequest = !d.nodes().isEmpty() || !d.forgotten().isEmpty();
        // Each write is one transaction that a failure leaves undone, so trying it again stores it once. The
        // decision is already in the core's memory: it must reach SQLite before anything else is decided.
        // The CPU ids a start brings are stored with its change: a transaction of their own cost every batch of
        // starts a second one.
        List<AttemptCpus> cpus = d.cpusSaid().stream().map(c -> new AttemptCpus(c.jobId(), c.attempt(), c.nodeId(),
                c.nodeIndex(), c.hostname(), c.cpus(), c.memoryMb(), c.gpus())).toList();
        untilStored(() -> jobs.save(new JobWrites(d.inserted(), d.changes(), d.respecified(), d.throttles(), cpus,
                d.dropped(), services, nodeRequest ? null : answer)));
        List<LateAttemptEnd> lateEnds = d.lateEnds().stream().map(e -> new LateAttemptEnd(e.jobId(), e.attempt(),
                e.time(), e.exitCode(), e.signal(), e.usage())).toList();
        untilStored(() -> jobs.saveLateEnds(lateEnds));
        // After the new mail types: a crash between the two may lose a share's mail again, never send one twice.
        List<TimeLimitMailed> marks = d.marks().stream().map(m -> new TimeLimitMailed(m.jobId(), m.attempt(),
                m.shares())).toList();
        untilStored(() -> jobs.saveTimeLimitMailed(marks));
        for (NodeRecord n : d.nodes()) {
            untilStored(() -> nodes.upsert(n));
        }
        for (NodeRecord n : d.forgotten()) {
            untilStored(() -> nodes.delete(n.id()));
        }
        history.record(d, this::untilStored);
        if (nodeRequest && answer != null) {
            untilStored(() -> jobs.save(JobWrites.answer(answer)));
        }
        long written = jobs.outbox().lastEventSeq();
        List<JobEvent> unlogged = new ArrayList<>(JobUpdates.of(d, clock.instant()));
        unlogged.addAll(nodeChanges(d));
        dispatcher.send(d.messages(), d.events(), unlogged, () -> jobs.outbox().published(written));
        return !d.changes().isEmpty() || d.freesRoom();
    }

    /**
     * Stored before the job changes of the decision that made them: a job requeued off a node that still runs it
     * is shown on the node all along, never as a moment of free cores.
     */
    private void storeHolds(List<KillHold> holds) {
        List<KillHolds.Hold> rows = holds.stream().map(k -> new KillHolds.Hold(k.jobId(), k.attempt(),
                k.slots().nodeId(), k.slots().cpus(), k.slots().gpus(), k.slots().memoryMb(), k.since())).toList();
        if (!rows.equals(storedHolds)) {
            untilStored(() -> nodes.killHolds().replace(rows));
            storedHolds = rows;
        }
    }

    /** Runs the write, trying again while the database's file or disk fails it (see {@link StorageOutage}). */
    private void untilStored(Runnable write) {
        while (true) {
            try {
                write.run();
                outage.over();
                return;
            } catch (RuntimeException e) {
                if (!outage.waitOut(e, running)) {
                    throw e;
                }
            }
        }
    }

    /**
     * The node records of a decision that change more than when the node was last seen (every heartbeat stores
     * that), and the nodes it deleted. A drain or resume is a change: the status page and bus subscribers show it.
     */
    private List<JobEvent> nodeChanges(Decisions d) {
        List<JobEvent> out = new ArrayList<>();
        for (NodeRecord n : d.nodes()) {
            NodeRecord figures = new NodeRecord(n.id(), n.hostname(), n.addresses(), n.cores(), n.memoryMb(),
                    n.gpus(), n.state(), Instant.EPOCH, n.reason(), n.drain());
            if (!figures.equals(publishedNodes.put(n.id(), figures))) {
                out.add(new JobEvent.NodeStateChanged(n.id(), n.hostname(), n.state(), n.reason(), n.cores(),
                        n.memoryMb(), n.gpus(), clock.instant(), n.drain()));
            }
        }
        for (NodeRecord n : d.forgotten()) {
            publishedNodes.remove(n.id());
            out.add(new JobEvent.NodeDeleted(n.id(), n.hostname(), clock.instant()));
        }
        return out;
    }
}
