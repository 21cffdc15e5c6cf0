package dev.cadre.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What the scheduler sends to a node-runner's own queue. */
public sealed interface NodeCommand extends Message {
    /**
     * Run one attempt of a job; sent to the allocation's coordinator node.
     *
     * @param execToken job-scoped secret that remote exec requests of this attempt must carry
     * @param array the job's array and task id when it is an array task, else null
     * @param jobKey the same in every place-job of this job, another for a job given the same id by a cadre.db
     *     restored from a backup or made anew: a node answers a repeat from its record of the attempt's end only
     *     when the record's key is this one. Null from heads before it, whose repeats any record answers
     * @param nodeTimeoutMillis the head's node timeout ({@code --node-timeout}), which tells a node how long the
     *     agents of the attempt's remote commands may stay silent while the head is away. Null from heads before
     *     it, which had the default of 60 s
     */
    record PlaceJob(long jobId, int attempt, JobSpec spec, Allocation allocation, String execToken,
            ArrayPart array, String jobKey, Long nodeTimeoutMillis) implements NodeCommand {
        /** The longest node timeout a place-job may carry: a day, as {@code --node-timeout} allows. */
        public static final long MAX_NODE_TIMEOUT_MILLIS = 86_400_000L;

        public PlaceJob {
            if (nodeTimeoutMillis != null && (nodeTimeoutMillis < 1 || nodeTimeoutMillis > MAX_NODE_TIMEOUT_MILLIS)) {
                throw new IllegalArgumentException("nodeTimeoutMillis must be from 1 to " + MAX_NODE_TIMEOUT_MILLIS
                        + " (a day), not " + nodeTimeoutMillis);
            }
        }

        /** A job outside any array. */
        public PlaceJob(long jobId, int attempt, JobSpec spec, Allocation allocation, String execToken) {
            this(jobId, attempt, spec, allocation, execToken, null);
        }

        /** Without a job key, as heads before it sent. */
        public PlaceJob(long jobId, int attempt, JobSpec spec, Allocation allocation, String execToken,
                ArrayPart array) {
            this(jobId, attempt, spec, allocation, execToken, array, null);
        }

        /** Without the head's node timeout, as heads before it sent. */
        public PlaceJob(long jobId, int attempt, JobSpec spec, Allocation allocation, String execToken,
                ArrayPart array, String jobKey) {
            this(jobId, attempt, spec, allocation, execToken, array, jobKey, null);
        }
    }

    /**
     * Several place-jobs for one node in one message, in the order they were decided: a burst of placements
     * costs the broker one message (one journal record, one delivery) instead of one per job.
     */
    record PlaceJobs(List<PlaceJob> placements) implements NodeCommand {
        /** The most placements one message may hold. */
        public static final int MAX_PLACEMENTS = 1_000;

        public PlaceJobs {
            if (placements == null || placements.isEmpty()) {
                throw new IllegalArgumentException("placements must hold at least one place-job");
            }
            if (placements.size() > MAX_PLACEMENTS) {
                throw new IllegalArgumentException("placements holds " + placements.size()
                        + " place-jobs; the limit is " + MAX_PLACEMENTS);
            }
            if (placements.contains(null)) {
                throw new IllegalArgumentException("placements holds a null entry");
            }
            placements = Collections.unmodifiableList(new ArrayList<>(placements));
        }
    }

    /**
     * Stop an attempt: SIGTERM to its process group, then SIGKILL after the grace period.
     *
     * @param reason why: CANCELLED, TIMEOUT, REQUEUED (scontrol requeue) or NODE_FAIL (another node of the job failed)
     */
    record KillJob(long jobId, int attempt, JobState reason) implements NodeCommand {
    }

    /**
     * Send a signal to a running attempt (scancel --signal), to its coordinator: the batch script alone with
     * batchOnly, else every process of the job.
     *
     * @param signal a signal name without SIG (USR1) or a number from 1 to 64
     */
    record SignalAttempt(long jobId, int attempt, String signal, boolean batchOnly) implements NodeCommand {
    }

    /**
     * scontrol suspend, to every node of the allocation: each stops (SIGSTOP) every process of the attempt it runs,
     * the coordinator its batch script's and the others the remote commands they run for it, and the coordinator
     * stops counting its time limit. Kept in the attempt's directory, so a node-runner started again leaves it so.
     */
    record SuspendAttempt(long jobId, int attempt) implements NodeCommand {
    }

    /**
     * scontrol resume, to every node of the allocation: each continues (SIGCONT) what it stopped.
     *
     * @param timeLimitSeconds for the coordinator, the attempt's whole limit counted from its start as set-time-limit's
     *        is: the job's own, plus the time it spent suspended; null when it has none
     */
    record ResumeAttempt(long jobId, int attempt, Long timeLimitSeconds) implements NodeCommand {
    }

    /**
     * A running attempt's new time limit (scontrol update TimeLimit=), to its coordinator, which enforces it.
     *
     * @param timeLimitSeconds the whole limit, counted from the attempt's start as the place-job's was
     */
    record SetTimeLimit(long jobId, int attempt, long timeLimitSeconds) implements NodeCommand {
    }

    /**
     * To the coordinator of an attempt the scheduler believed running and a node no longer lists (a head restored
     * from a backup, a node back after a partition): the node answers with the attempt's recorded end, or with
     * runner-released when it has none and runs nothing of it; an attempt it runs it leaves to its heartbeats.
     *
     * @param jobKey the attempt's place-job's job key: only a record of the same key answers (see PlaceJob)
     */
    record QueryAttempt(long jobId, int attempt, String jobKey) implements NodeCommand {
    }
}
