package dev.cadre.scheduler.core;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.ResourceUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the core decided: job changes to persist first, then messages to send and events to publish.
 * Sending only after the changes are committed means a crash can lose a send but never a decision;
 * the core re-sends on start-up what may have been lost.
 */
public final class Decisions {
    private final List<JobChange> changes = new ArrayList<>();
    private final List<Outgoing> messages = new ArrayList<>();
    private final List<JobEvent.JobStateChanged> events = new ArrayList<>();
    private final List<NodeRecord> nodes = new ArrayList<>();
    /** Nodes an administrator deleted: removed from the store, and announced as deleted. */
    private final List<NodeRecord> forgotten = new ArrayList<>();
    private final List<JobRecord> inserted = new ArrayList<>();
    private final List<JobRecord> respecified = new ArrayList<>();
    /** Each respecified record as the decision leaves it, changes after its new spec included, in first-change order. */
    private final Map<Long, JobRecord> updated = new LinkedHashMap<>();
    /** Emptied parts of arrays whose tasks joined another record: deleted from the store with their history. */
    private final List<Joined> joined = new ArrayList<>();
    /** For the log: what the core did that nobody asked for and someone should know of. */
    private final List<String> warnings = new ArrayList<>();
    /** For the log at INFO: what the core did on its own that is no fault (a node came back). */
    private final List<String> notes = new ArrayList<>();
    /** Slots came free without any job changing (a node confirmed a kill): a pass may now place more. */
    private boolean freesRoom;
    /** The answer to the control request that made this decision, or null; see {@link Answer}. */
    private Answer answer;
    /** Ends of attempts the head had closed on its own, heard of since; see {@link LateEnd}. */
    private final List<LateEnd> lateEnds = new ArrayList<>();
    /** Time-limit shares no longer mailed, as an update of a job's mail types leaves them ({@link RetypedMail}). */
    private final List<JobMail.SharesMailed> marks = new ArrayList<>();
    /** The CPU ids nodes said attempts hold, to store ({@link AttemptCpuReports}). */
    private final List<CpusSaid> cpusSaid = new ArrayList<>();

    /**
     * What a node said an attempt holds there, with its share of the allocation: stored after the changes.
     *
     * @param nodeIndex the node's place in the allocation, the coordinator's 0
     * @param cpus Linux's list format, as a node-runner writes it; empty when it runs unbound there
     * @param gpus the GPU indexes it holds there, lowest first; empty for none; null when the node does not say
     */
    public record CpusSaid(long jobId, int attempt, String nodeId, int nodeIndex, String hostname, String cpus,
            long memoryMb, List<Integer> gpus) {
        /** What a node that says nothing of GPUs said. */
        public CpusSaid(long jobId, int attempt, String nodeId, int nodeIndex, String hostname, String cpus,
                long memoryMb) {
            this(jobId, attempt, nodeId, nodeIndex, hostname, cpus, memoryMb, null);
        }
    }

    public void cpusSaid(CpusSaid c) {
        cpusSaid.add(c);
    }

    public List<CpusSaid> cpusSaid() {
        return cpusSaid;
    }

    /**
     * Arrays given a new throttle (scontrol update ArrayTaskThrottle=), by id: the records the core holds take it in
     * their specs, and the store gives it to the array's ended records too, as Slurm shows every record of an array
     * its array's one throttle.
     */
    private final Map<Long, Integer> throttles = new LinkedHashMap<>();

    public void throttle(long arrayJobId, int throttle) {
        throttles.put(arrayJobId, throttle);
    }

    public Map<Long, Integer> throttles() {
        return throttles;
    }

    public void mark(JobMail.SharesMailed m) {
        marks.add(m);
    }

    public List<JobMail.SharesMailed> marks() {
        return marks;
    }

    /**
     * When an attempt that had already ended for the head really ended, by its node's word: stored on the
     * attempt's record when the head had closed it as NODE_FAIL without that word, changing nothing else.
     *
     * @param time the node's time of the end, at most the head's clock
     * @param usage what the attempt's processes used there, as the node reported with the end; null when it could
     *        not tell
     */
    public record LateEnd(long jobId, int attempt, Instant time, int exitCode, int signal, ResourceUsage usage) {
    }

    public void lateEnd(LateEnd end) {
        lateEnds.add(end);
    }

    public List<LateEnd> lateEnds() {
        return lateEnds;
    }

    /**
     * A control request's answer, stored with the changes it made so that a copy of the request sent again finds
     * the one exactly when the other is stored (docs/protocol.md 7.7).
     *
     * @param key the request's id, scoped
     * @param fingerprint what it asked, without its id
     */
    public record Answer(String key, String fingerprint, ClientReply reply) {
    }

    public void answered(Answer a) {
        answer = a;
    }

    public Answer answer() {
        return answer;
    }

    public void change(JobChange change) {
        changes.add(change);
        if (!updated.isEmpty()) {
            updated.computeIfPresent(change.job().id(), (id, j) -> change.job());
        }
        if (change.movesState()) {
            var j = change.job();
            boolean ended = j.state().isTerminal();
            events.add(new JobEvent.JobStateChanged(j.id(), change.previous(), j.state(), j.reason(), change.time(),
                    j.attempt(), j.user(), j.name(), ended ? j.exitCode() : null, ended ? j.signal() : null,
                    j.arrayJobId(), j.arrayTaskId(), change.cancelledBy()));
        }
    }

    /** Announces a newly stored job; it has no previous state. */
    public void created(JobRecord j) {
        events.add(new JobEvent.JobStateChanged(j.id(), null, j.state(), j.reason(), j.submitTime(), 0, j.user(),
                j.name(), null, null, j.arrayJobId(), j.arrayTaskId()));
    }

    /** Publishes an event that was stored earlier (after a crash it may never have been sent). */
    public void republish(JobEvent.JobStateChanged event) {
        events.add(event);
    }

    /** A record to store before the changes: an array task split off its array's record. */
    public void insert(JobRecord task) {
        inserted.add(task);
        created(task);
    }

    /** A pending job's spec changed (hold, release, update); stored with the changes. */
    public void respec(JobRecord job) {
        respecified.add(job);
        updated.put(job.id(), job);
    }

    /**
     * A request moved tasks into or out of this record of an array's pending tasks, its spec unchanged: nothing to
     * store but its task set (a change), yet announced as a job-updated, as a subscriber showing the record (its
     * range, {@code 12_[3-5]}) must read it again.
     */
    public void retasked(JobRecord job) {
        updated.put(job.id(), job);
    }

    /** The records whose spec or tasks changed, as this decision leaves them: for the job-updated events. */
    public Collection<JobRecord> updated() {
        return updated.values();
    }

    /** A stored part whose tasks all joined the record {@code into}; announced as array-part-joined. */
    public record Joined(JobRecord part, long into) {
    }

    /**
     * An emptied part of an array's pending tasks, whose tasks all joined a record as they are: it goes from the
     * store with its history, as a part is the store's way of holding tasks, not a job anyone submitted. One made
     * by this decision is never stored at all.
     */
    public void drop(JobRecord part, JobRecord into) {
        if (inserted.removeIf(j -> j.id() == part.id())) {
            changes.removeIf(c -> c.job().id() == part.id());
            respecified.removeIf(j -> j.id() == part.id());
            updated.remove(part.id());
            events.removeIf(e -> e.jobId() == part.id());
        } else {
            joined.add(new Joined(part, into.id()));
        }
    }

    /** The ids of the stored parts dropped. */
    public List<Long> dropped() {
        return joined.stream().map(j -> j.part().id()).toList();
    }

    public List<Joined> joined() {
        return joined;
    }

    public List<JobRecord> inserted() {
        return inserted;
    }

    public List<JobRecord> respecified() {
        return respecified;
    }

    public void node(NodeRecord node) {
        nodes.add(node);
    }

    public void forget(NodeRecord node) {
        forgotten.add(node);
    }

    public List<NodeRecord> forgotten() {
        return forgotten;
    }

    public void warn(String warning) {
        warnings.add(warning);
    }

    public List<String> warnings() {
        return warnings;
    }

    public void note(String note) {
        notes.add(note);
    }

    public List<String> notes() {
        return notes;
    }

    public void freeRoom() {
        freesRoom = true;
    }

    public boolean freesRoom() {
        return freesRoom;
    }

    public void send(Outgoing message) {
        messages.add(message);
    }

    public void addAll(Decisions other) {
        changes.addAll(other.changes);
        messages.addAll(other.messages);
        events.addAll(other.events);
        nodes.addAll(other.nodes);
        forgotten.addAll(other.forgotten);
        inserted.addAll(other.inserted);
        respecified.addAll(other.respecified);
        if (!updated.isEmpty()) {
            other.changes.forEach(c -> updated.computeIfPresent(c.job().id(), (id, j) -> c.job()));
        }
        updated.putAll(other.updated);
        joined.addAll(other.joined);
        warnings.addAll(other.warnings);
        notes.addAll(other.notes);
        lateEnds.addAll(other.lateEnds);
        marks.addAll(other.marks);
        throttles.putAll(other.throttles);
        cpusSaid.addAll(other.cpusSaid);
        freesRoom |= other.freesRoom;
        answer = other.answer != null ? other.answer : answer;
    }

    public List<JobChange> changes() {
        return changes;
    }

    public List<Outgoing> messages() {
        return messages;
    }

    public List<JobEvent.JobStateChanged> events() {
        return events;
    }

    public List<NodeRecord> nodes() {
        return nodes;
    }

    public boolean isEmpty() {
        return changes.isEmpty() && messages.isEmpty() && nodes.isEmpty() && forgotten.isEmpty() && events.isEmpty()
                && inserted.isEmpty() && respecified.isEmpty() && joined.isEmpty() && lateEnds.isEmpty()
                && marks.isEmpty() && throttles.isEmpty() && cpusSaid.isEmpty();
    }
}
