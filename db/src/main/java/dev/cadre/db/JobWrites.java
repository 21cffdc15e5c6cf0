package dev.cadre.db;

import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.ServiceRecord;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * What one decision of the scheduler writes, stored by {@link JobStore#save(JobWrites)} in one transaction: all of it
 * or, when any part fails, none. Each transaction writes every page it touched to the WAL again and takes the write
 * lock anew, so whatever a decision brings goes into this one rather than into a write of its own.
 *
 * @param inserted split-off array tasks, in PENDING; their changes follow in changes
 * @param changes decided changes, each checked against the transition table; a job's spec is fixed at admission,
 *        they carry state, reason, attempt, allocation and outcome
 * @param respecified jobs whose spec changed (hold, release, update)
 * @param throttles each array's id and its new throttle, 0 for none, for the specs of its ended records (see
 *        {@link ArrayThrottles})
 * @param cpus the CPU ids nodes said attempts hold there (see {@link AttemptCpus})
 * @param dropped emptied parts of arrays, deleted with their history (see {@link JobChangeWriter#delete})
 * @param services services whose failure count the changes' instance ends moved (see {@link ServiceStore#upsertIn})
 * @param request the answer to the control request that made the changes, or null
 */
public record JobWrites(List<JobRecord> inserted, List<JobChange> changes, List<JobRecord> respecified,
        Map<Long, Integer> throttles, List<AttemptCpus> cpus, List<Long> dropped, List<ServiceRecord> services,
        AnsweredRequests.Answered request) {

    /** Tasks split off, changes, changed specs and emptied parts of arrays, nothing else. */
    public static JobWrites of(List<JobRecord> inserted, List<JobChange> changes, List<JobRecord> respecified,
            List<Long> dropped) {
        return new JobWrites(inserted, changes, respecified, Map.of(), List.of(), dropped, List.of(), null);
    }

    /** The answer to a request whose work was stored elsewhere (a node's drain or resume), alone. */
    public static JobWrites answer(AnsweredRequests.Answered request) {
        return new JobWrites(List.of(), List.of(), List.of(), Map.of(), List.of(), List.of(), List.of(), request);
    }

    boolean isEmpty() {
        return request == null && changes.isEmpty() && inserted.isEmpty() && respecified.isEmpty()
                && throttles.isEmpty() && cpus.isEmpty() && dropped.isEmpty() && services.isEmpty();
    }

    /**
     * Writes it all inside the caller's transaction: a task's row before its changes; a changed spec before the
     * throttles read the specs; CPU ids after the changes that write their attempts' rows, and before an emptied
     * part's delete, which takes its rows along.
     */
    void writeIn(WriteConnection w, EventOutbox.Numbering events) throws SQLException {
        JobChangeWriter.insertTasks(w, events, inserted);
        JobChangeWriter.write(w, events, changes);
        JobChangeWriter.updateSpecs(w, respecified);
        ArrayThrottles.writeIn(w, throttles);
        AttemptCpus.writeIn(w, cpus);
        JobChangeWriter.delete(w, dropped);
        ServiceStore.upsertIn(w, services);
        AnsweredRequests.rememberIn(w, request);
    }
}
