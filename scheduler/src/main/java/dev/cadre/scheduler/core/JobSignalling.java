package dev.cadre.scheduler.core;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.SignalNames;
import java.util.List;

/**
 * scancel --signal: every running record named gets the signal on its coordinator; a job that is not running has no
 * processes to signal and is refused with its state, and a signal that is none ({@link SignalNames}) is refused
 * whatever the job. Pure: it reads the table and decides the messages.
 */
final class JobSignalling {
    private JobSignalling() {
    }

    static JobControl.Outcome<ClientReply.ControlResult> signal(JobTable jobs, ControlRequest.SignalJob r) {
        Decisions d = new Decisions();
        String badSignal = SignalNames.problem(r.signal());
        if (badSignal != null) {
            return new JobControl.Outcome<>(d, new ClientReply.ControlResult(r.jobId(), false, null, badSignal));
        }
        RequestTargets t = RequestTargets.resolve(jobs, r.jobId(), r.taskId());
        if (t.problem() != null) {
            return new JobControl.Outcome<>(d, new ClientReply.ControlResult(r.jobId(), false, null, t.problem()));
        }
        List<JobRecord> running = t.inside() != null ? List.of()
                : t.records().stream().filter(j -> j.state() == JobState.RUNNING).toList();
        if (running.isEmpty()) {
            JobState state = t.inside() != null ? JobState.PENDING : t.records().get(0).state();
            return new JobControl.Outcome<>(d, new ClientReply.ControlResult(r.jobId(), false, state, "job "
                    + r.jobId() + (r.taskId() == null ? "" : "_" + r.taskId()) + " is " + state + "; only running"
                    + " jobs can be signalled"));
        }
        running.forEach(j -> d.send(NodeMessages.signal(j, r.signal(), r.batchOnly())));
        return new JobControl.Outcome<>(d, new ClientReply.ControlResult(r.jobId(), true, JobState.RUNNING, null));
    }
}
