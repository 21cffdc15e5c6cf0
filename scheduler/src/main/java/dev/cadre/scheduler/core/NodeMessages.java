package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiFunction;

/** The commands an attempt's nodes get: place-job to start it, kill-job to stop it, one per node. */
final class NodeMessages {
    private NodeMessages() {
    }

    /**
     * To every node of the allocation: the coordinator launches, the others learn the attempt and its exec
     * token, so that they run its remote commands and nothing else.
     *
     * @param nodeTimeout the head's, which tells the nodes how long the agents of the attempt's remote commands may
     *     stay silent while the head is away
     */
    static List<Outgoing> place(JobRecord j, BiFunction<Long, Integer, String> execTokens, Duration nodeTimeout) {
        Allocation a = j.allocation();
        ArrayPart array = j.array() == null ? null : new ArrayPart(j.array().arrayJobId(), j.array().taskId(), null);
        var place = new NodeCommand.PlaceJob(j.id(), j.attempt(), j.spec(), a, execTokens.apply(j.id(), j.attempt()),
                array, jobKey(j), nodeTimeout.toMillis());
        return a.nodeIds().stream().map(n -> new Outgoing(Destinations.nodeQueue(n), place)).toList();
    }

    /**
     * What a restarted head sends again for an unfinished job, as a crash may have kept it from being sent (a node
     * ignores a repeat): the place-job of an attempt its node never confirmed, the set-time-limit of a running job
     * with a limit, the kills of a job being stopped, the suspends of a suspended one.
     */
    static List<Outgoing> afterRestart(JobRecord j, BiFunction<Long, Integer, String> execTokens,
            Duration nodeTimeout) {
        List<Outgoing> out = new ArrayList<>();
        if (j.state() == JobState.RUNNING && !j.launchConfirmed()) {
            out.addAll(place(j, execTokens, nodeTimeout));
        }
        if (j.state() == JobState.RUNNING && j.spec().timeLimitSeconds() != null) {
            // An update's limit is stored before its set-time-limit is sent, and nothing records that it
            // went: the node may hold the place-job's. A node already running the attempt ignores a repeated
            // place-job, so this follows one too. The node re-arms the same end and no second warning.
            out.add(timeLimit(j));
        } else if (j.state() == JobState.COMPLETING) {
            out.addAll(kill(j, JobState.valueOf(j.reason())));
        } else if (j.state() == JobState.SUSPENDED) {
            // Its suspend may not have reached every node; a node that has it already changes nothing.
            out.addAll(suspend(j));
        }
        return out;
    }

    /**
     * The place-job's jobKey: a hash of what cadre.db stored when the job was made, so a re-sent place-job carries
     * the same, while a job that a restored or recreated cadre.db gives the same id has another (a new broker stamp
     * or client id in its submission key, and a later submit time). The exec token cannot tell them apart: it is
     * derived from the id alone, with a secret kept outside cadre.db.
     */
    static String jobKey(JobRecord j) {
        String made = j.submissionKey() + "\n" + (j.submitTime() == null ? "" : j.submitTime().toEpochMilli());
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(made.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** To the coordinator, which runs the batch script: a signal for the attempt's processes. */
    static Outgoing signal(JobRecord j, String signal, boolean batchOnly) {
        return new Outgoing(Destinations.nodeQueue(j.allocation().coordinator().nodeId()),
                new NodeCommand.SignalAttempt(j.id(), j.attempt(), signal, batchOnly));
    }

    /**
     * To the coordinator, which enforces the time limit: the job's limit as its spec now has it. The other nodes
     * run only what the coordinator's part started, which ends with it.
     */
    static Outgoing timeLimit(JobRecord j) {
        return new Outgoing(Destinations.nodeQueue(j.allocation().coordinator().nodeId()),
                new NodeCommand.SetTimeLimit(j.id(), j.attempt(), nodeLimit(j)));
    }

    /**
     * The limit a node enforces, counted from the attempt's start: the job's own, plus the whole seconds (rounded up)
     * it spent suspended before its last resume. Null for none.
     */
    static Long nodeLimit(JobRecord j) {
        Long limit = j.spec().timeLimitSeconds();
        return limit == null ? null : limit + (j.suspendedMillis() + 999) / 1000;
    }

    /** To every node of the allocation: each stops what the attempt runs there (scontrol suspend). */
    static List<Outgoing> suspend(JobRecord j) {
        var suspend = new NodeCommand.SuspendAttempt(j.id(), j.attempt());
        return j.allocation().nodeIds().stream().map(n -> new Outgoing(Destinations.nodeQueue(n), suspend)).toList();
    }

    /** To every node of the allocation: each continues what it stopped; the coordinator takes the limit. */
    static List<Outgoing> resume(JobRecord j) {
        var resume = new NodeCommand.ResumeAttempt(j.id(), j.attempt(), nodeLimit(j));
        return j.allocation().nodeIds().stream().map(n -> new Outgoing(Destinations.nodeQueue(n), resume)).toList();
    }

    /** To the coordinator: the end it recorded of an attempt a node no longer lists, if it has one. */
    static Outgoing query(JobRecord j) {
        return new Outgoing(Destinations.nodeQueue(j.allocation().coordinator().nodeId()),
                new NodeCommand.QueryAttempt(j.id(), j.attempt(), jobKey(j)));
    }

    /** To every node of the allocation: each kills what the attempt started there. */
    static List<Outgoing> kill(JobRecord j, JobState endAs) {
        var kill = new NodeCommand.KillJob(j.id(), j.attempt(), endAs);
        return j.allocation().nodeIds().stream().map(n -> new Outgoing(Destinations.nodeQueue(n), kill)).toList();
    }

}
