package dev.cadre.node;

import dev.cadre.node.core.ExecTarget;
import dev.cadre.node.core.RelayWire;
import dev.cadre.node.core.RunResume;
import dev.cadre.protocol.ExecMessage;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's side of an agent resuming its run after this node's runner restarted (protocol.md §13.9): checked as
 * {@link RunResume} decides, with the attempts this runner holds, then followed to its exit by {@link ExecClient}.
 * The relay takes agents before the runner has adopted its attempts, so a resume waits for that a while.
 */
final class RunResumption {
    private static final Logger LOG = LoggerFactory.getLogger(RunResumption.class);
    /** Far longer than a runner's adoption of its attempts, which comes right after the relay starts. */
    static final Duration ADOPTION_WAIT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 100;

    private final ExecClient client;
    private final AgentFailures attempts;
    private final Clock clock;

    /** @param attempts the attempts this node holds, with their tokens */
    RunResumption(ExecClient client, AgentFailures attempts, Clock clock) {
        this.client = client;
        this.attempts = attempts;
        this.clock = clock;
    }

    /**
     * Follows the resumed run to its exit, or refuses the resume (exit 255, the reason on the agent's stderr).
     *
     * @throws ExecTarget.Unresolvable as for a new request: the agent's variables or host do not resolve
     */
    ExecClient.Outcome follow(RelayWire.Request request, ExecClient.Output output, BooleanSupplier gone,
            Consumer<ExecMessage.ExecExit> killed) throws JMSException, IOException {
        ExecTarget target = ExecTarget.resolve(request, request.resume());
        long job = target.request().jobId();
        int attempt = target.request().attempt();
        Instant until = clock.instant().plus(ADOPTION_WAIT);
        while (true) {
            if (client.closing()) {
                // Stopping again before the adoption, which a refusal would blame: the agent tries the next runner.
                return ExecClient.STOPPED;
            }
            RunResume.Verdict verdict = RunResume.judge(target, attempts.holds(job, attempt),
                    attempts.refusal(job, attempt, request.token()), clock.instant(), until);
            if (verdict instanceof RunResume.Refuse r) {
                LOG.warn("exec relay: resume refused: {}", r.reason());
                return ExecClient.fail(output, r.reason());
            }
            if (verdict instanceof RunResume.Resume) {
                LOG.info("exec relay: job {} attempt {}: run {} on {} resumed by its agent", job, attempt,
                        target.request().requestId(), target.host());
                return client.resume(target, output, gone, killed);
            }
            if (gone.getAsBoolean()) {
                return new ExecClient.Outcome(ExecClient.UNREACHABLE, null);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExecClient.STOPPED;
            }
        }
    }
}
