package dev.cadre.node;

import dev.cadre.node.core.ExecRunRecord;
import dev.cadre.node.core.SilenceLimit;
import dev.cadre.protocol.ExecMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The records of the remote commands {@link ExecSessions} runs ({@link ExecRecords}), from a command's start until
 * its exit is reported. They are made in the order that lets a runner killed at any moment leave a command run
 * once: in a cgroup, the cgroup is made and the request id recorded before bash starts; tracked by session, the
 * record is named by the wrapper's pid, so it and the request id are written after the start, and only then is the
 * wrapper told to run the command ({@link ExecRun#proceed}).
 */
final class RecordedCommands {
    /**
     * A command started and recorded; nothing of it is reported yet.
     *
     * @param record null for a run in a cgroup
     * @param name its record's name, or its cgroup's, under which its request id is recorded
     */
    record Started(ExecRun run, ExecRunRecord record, String name) {
    }

    private final ExecRecords records;
    private final Duration grace;
    /** The node's cgroups; null where it tracks processes by session. */
    private final AttemptCgroups cgroups;
    /** Where a wrapper that was never told to run the command is stopped, in the background. */
    private final Executor killers;
    /** The place-jobs of the attempts held here, which bound a wrapper's wait for a reader ({@link #readerWait}). */
    private final HeldAttempts held;

    RecordedCommands(ExecRecords records, Duration grace, AttemptCgroups cgroups, Executor killers,
            HeldAttempts held) {
        this.records = records;
        this.grace = grace;
        this.cgroups = cgroups;
        this.killers = killers;
        this.held = held;
    }

    /**
     * How long the command's wrapper waits at its end for a runner to read the rest of its output
     * ({@link CommandWrapper#commandLine}): the command's silence limit, counted from its end. A runner restarted
     * later cannot tell it to anyone: by then this node has been silent for longer than the head's node timeout
     * (its runner died before the command ended), so the head has marked it DOWN and ended the attempt, and with it
     * the command's agent; a live runner reads at once.
     */
    private Duration readerWait(ExecMessage.ExecRequest request) {
        return SilenceLimit.forPlace(held.get(request.jobId(), request.attempt()), SilenceLimit.WITHOUT_NODE_TIMEOUT);
    }

    /**
     * Starts the command, records it (or makes its cgroup first); its answers go to {@code replies} once reported.
     *
     * @throws IOException when bash cannot start, its cgroup cannot be made, or the run cannot be recorded (it is
     *     then killed unreported)
     */
    Started start(ExecMessage.ExecRequest request, Path workDir, Map<String, String> environment,
            ExecRun.Replies replies) throws IOException {
        Path cgroup = cgroups == null ? null : cgroups.createExec(request.jobId(), request.attempt());
        // In a cgroup, named before bash starts: a runner killed before the record would leave the command running
        // unrecognised, and the broker's copy of the request would run it again. Killed before bash starts, the
        // next runner finds the cgroup empty with no exit recorded and forgets the request: the copy runs it once.
        String name = cgroup == null ? null : ExecRecords.nameOf(null, cgroup);
        ExecRun run;
        try {
            if (name != null) {
                records.recordRequest(name, request.requestId());
            }
            run = ExecRun.start(request, workDir, environment, replies, cgroup,
                    records.exitStem(request.jobId(), request.attempt(), cgroup), readerWait(request));
            if (name != null) {
                records.recordWrapper(name, run.pid()); // a session's is its id; in a cgroup nothing names it
            }
        } catch (IOException | RuntimeException e) {
            if (cgroup != null) {
                records.forgetRequest(name);
                AttemptCgroups.removeIfEmpty(cgroup);
            }
            throw e;
        }
        ExecRunRecord record = null;
        String step = "record the command in " + records.dir();
        try {
            if (cgroup == null) {
                // Tracked by session, the record is named by the wrapper's pid: it can only come after the wrapper
                // started, which runs nothing until told to.
                record = records.recordRun(request.jobId(), request.attempt(), run.pid());
                name = ExecRecords.nameOf(record, null);
                records.recordRequest(name, request.requestId());
                step = "tell the command's wrapper to run it (it ended first)";
                run.proceed();
            }
        } catch (IOException | RuntimeException e) {
            // Never told to go, the wrapper runs nothing and ends: nothing of the command is left to record.
            killers.execute(() -> run.discard(grace));
            if (record != null) {
                records.forgetRequest(name);
                records.forget(record);
            }
            throw new IOException("cannot " + step + ": " + e.getMessage(), e);
        }
        return new Started(run, record, name);
    }

    /**
     * The command's exit is reported: a restarted runner has nothing to answer its agent, so its request id is
     * forgotten, and its record too once nothing of it runs any more.
     *
     * @return whether nothing of it runs any more
     */
    boolean exitReported(Started command) {
        records.forgetRequest(command.name());
        if (!command.run().processes().removeIfGone()) {
            return false;
        }
        if (command.record() != null) {
            records.forget(command.record());
        }
        return true;
    }
}
