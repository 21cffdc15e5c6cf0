package dev.cadre.node;

import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.GpuEnvironment;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts an admitted remote command ({@link ExecService}): in its attempt's work directory, with the job's
 * environment, the exec variables its own {@code cadre-rsh} needs and its attempt's GPUs here, on its CPUs here (a
 * step's task on its share of them, {@link TaskBinding}), or answers its agent why it cannot start.
 */
final class CommandLaunch {
    private static final Logger LOG = LoggerFactory.getLogger(CommandLaunch.class);
    private final String nodeId;
    private final Path relaySocket;
    private final HeldAttempts held;
    private final ExecSessions sessions;
    private final Consumer<RunnerEvent> nodeProblems;

    CommandLaunch(String nodeId, Path relaySocket, HeldAttempts held, ExecSessions sessions,
            Consumer<RunnerEvent> nodeProblems) {
        this.nodeId = nodeId;
        this.relaySocket = relaySocket;
        this.held = held;
        this.sessions = sessions;
        this.nodeProblems = nodeProblems;
    }

    void start(ExecMessage.ExecRequest request, NodeCommand.PlaceJob place, ExecRun.Replies answer) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(place.spec().environment());
        env.putAll(ExecAccess.environment(place.jobId(), place.attempt(), place.execToken(), place.allocation(),
                relaySocket));
        // A step's task gets its share of them, as Slurm's task/affinity and gres/gpu give it.
        TaskBinding share = TaskBinding.of(request, place, nodeId, held.cpusOf(request.jobId(), request.attempt()),
                held.gpusOf(request.jobId(), request.attempt()), held.topology());
        env.putAll(share.environment());
        CommandWrapper.bindTo(env, share.cpus());
        GpuEnvironment.apply(env, held.nodeGpus(), share.gpus(), GpuEnvironment.Scope.STEP);
        ExecMessage.ExecRequest run = share.command().equals(request.command()) ? request
                : new ExecMessage.ExecRequest(request.requestId(), request.jobId(), request.attempt(), request.token(),
                        share.command(), request.input(), request.task());
        try {
            sessions.start(run, Path.of(place.spec().workDir()), env, answer);
            LOG.info("job {} attempt {}: exec {} started", request.jobId(), request.attempt(), request.requestId());
        } catch (AttemptCgroups.NodeProblem e) {
            String why = e.getMessage() + " on " + nodeId;
            answer.send(new ExecMessage.ExecExit(request.requestId(), 255, 0, "cannot start bash on node " + nodeId
                    + ": " + why));
            // The node's fault, not the job's: any node of an allocation may report it lost, and the job is requeued.
            nodeProblems.accept(new RunnerEvent.RunnerFinished(request.jobId(), request.attempt(), nodeId, 0, 0,
                    JobState.NODE_FAIL, Instant.now(), why));
            return;
        } catch (IOException e) {
            answer.send(new ExecMessage.ExecExit(request.requestId(), 255, 0, "cannot start bash on node " + nodeId
                    + ": " + e.getMessage()));
            return;
        }
        if (!held.holds(request.jobId(), request.attempt())) {
            // Released between the admission and the listing, so the release did not find it.
            sessions.killAttempt(request.jobId(), request.attempt());
        }
    }
}
