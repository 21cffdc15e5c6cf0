package dev.cadre.cli;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.ClientFile;
import dev.cadre.broker.RequestClient;
import dev.cadre.cli.slurm.AllocationHold;
import dev.cadre.cli.slurm.TaskEnds;
import dev.cadre.cli.wire.Json;
import dev.cadre.node.GrantedExec;
import dev.cadre.node.core.TerminalSize;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

/**
 * The command srun --pty, salloc at a terminal and srun with piped input run in the job they submitted, whose script
 * holds the allocation ({@link AllocationHold}): once the job runs, its exec token is asked of the head for the
 * user (exec-grant, protocol.md 5.10), and the command runs on the job's first node through that node's exec queue
 * ({@link GrantedExec}), its output shown as it comes, this process's standard input forwarded to it and, at a
 * terminal, the terminal raw and its size given to the command's pseudo-terminal, then every new size
 * ({@link WindowWatch}). The command's end ends the job's
 * script, and so the job; a command that could not be started has the job cancelled. The broker connection rides out
 * a break (the head restarted, the network blipped): it reconnects by itself, and once it is back the input the node
 * had not acknowledged is sent again ({@link GrantedExec#relinked}); a break longer than {@link RelayReconnect#LIMIT},
 * after which the node kills the command for its silence, ends this side with 255, as an agent's relay does.
 */
final class InteractiveStep {
    private static final long GRANT_WAIT_SECONDS = 30;
    /** ssh's code when the connection is lost, which srun's is for a task it cannot reach. */
    static final int GAVE_UP = 255;

    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final String program;
    private final List<String> words;
    private final boolean terminal;
    private final Map<String, String> env;
    /** Whether the words are srun --pty's command itself, whose end srun tells as its task 0's. */
    private final boolean taskZero;
    /** Whether the command's output is labelled as task 0's (srun --pty -l of a single task). */
    private final boolean label;
    /** The command's exit status once it ran; null until then, or when it could not be run. */
    private volatile Integer exit;
    /** When the broker connection broke, while it is away; null while it is there. */
    private volatile Instant broke;
    /** Set once the connection stayed away too long: this side is over, with 255. */
    private volatile boolean gaveUp;

    /**
     * @param words what runs on the node: the user's command, the shell, or the srun that starts the step's tasks
     * @param terminal whether it runs at a pseudo-terminal (--pty, salloc's shell)
     * @param taskZero whether the words are srun --pty's command, whose end is told as task 0's; not when they are
     *     the srun that starts a step of several tasks, which tells each task's end itself
     * @param label whether the output of the command, task 0 then, is labelled "0: " (-l), as Slurm's srun --pty -l
     *     labels it
     */
    InteractiveStep(PrintStream out, PrintStream err, String config, String program, List<String> words,
            boolean terminal, Map<String, String> env, boolean taskZero, boolean label) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.program = program;
        this.words = words;
        this.terminal = terminal;
        this.env = env;
        this.taskZero = taskZero;
        this.label = taskZero && label;
    }

    /** The command's exit status, or null when it did not run. */
    Integer exit() {
        return exit;
    }

    /** The command's sayings: {@code base}'s, with the command run once the job runs, and its exit the command's. */
    LongFunction<FollowedJob.Sayings> around(LongFunction<FollowedJob.Sayings> base) {
        return id -> {
            FollowedJob.Sayings said = base.apply(id);
            return new FollowedJob.Sayings() {
                @Override
                public void queued() {
                    said.queued();
                }

                @Override
                public void started(Json job, boolean afterQueued) {
                    said.started(job, afterQueued);
                    if (JobState.valueOf(job.path("state").asText()) == JobState.RUNNING) {
                        attach(id);
                    }
                }

                @Override
                public int ended(Json job) {
                    int code = said.ended(job);
                    return exit != null ? exit : code;
                }

                @Override
                public Integer over() {
                    return gaveUp ? GAVE_UP : null;
                }
            };
        };
    }

    /** Runs the command in job {@code id}; one that cannot be run is said why, and the job cancelled. */
    private void attach(long id) {
        String failure;
        try {
            failure = run(id);
        } catch (IOException | JMSException | RuntimeException e) {
            failure = e.getMessage();
        }
        if (gaveUp) {
            return; // the head is away: nobody to cancel the job with, and the node ends the command by itself
        }
        if (failure != null) {
            if (!failure.isEmpty()) {
                err.println(program + ": error: " + failure);
            }
            try {
                RestClient.fromConfig(config).post("/api/jobs/" + id + "/cancel", CancelBody.of(Map.of()));
            } catch (RestClient.ClientException e) {
                err.println(program + ": error: cannot cancel job " + id + ": " + e.getMessage());
            }
        }
    }

    /** @return why the command could not be run ("" when that was said already), or null once it ran */
    private String run(long id) throws IOException, JMSException {
        Path path = ClientFile.locate(config, System.getenv(), ClientFile.CLIENT_FILE);
        ClientFile file = ClientFile.read(path);
        Connection connection = BrokerConnections.openToHead(file.coreUrl(), file.credentials(), program, null, path);
        try (RequestClient requests = new RequestClient(connection)) {
            ClientReply.ExecGrantResult grant = grant(requests, id);
            if (!grant.ok()) {
                return "cannot run the command in job " + id + ": " + grant.reason();
            }
            ClientReply.ExecGrantResult.GrantedNode first = grant.nodes().get(0);
            boolean tty = terminal && StandardInputSource.isTerminal();
            TerminalSize size = tty ? TerminalMode.size() : null;
            String command = AllocationHold.command(words, terminal, size,
                    env.containsKey("TERM") ? Map.of("TERM", env.get("TERM")) : Map.of());
            GrantedExec.Outcome outcome;
            try (GrantedExec exec = new GrantedExec(connection);
                    TerminalMode raw = tty ? TerminalMode.raw(System.in) : null;
                    WindowWatch sizes = tty ? WindowWatch.start(size, exec::resize) : null) {
                InputStream input = raw != null ? raw.keys() : System.in;
                PrintedOutput shown = label ? PrintedOutput.labelledTaskZero(out, err) : new PrintedOutput(out, err);
                ScheduledExecutorService watch = watch(connection, exec, file.brokerUrl(), first.hostname());
                try {
                    outcome = exec.run(new GrantedExec.Grant(id, grant.attempt(), grant.token(), first.hostname(),
                            first.nodeId()), command, input, shown, () -> gaveUp);
                } finally {
                    watch.shutdownNow();
                }
            }
            if (gaveUp) {
                return "";
            }
            if (outcome.failure() != null) {
                return ""; // said already, on stderr, as the node's answer came
            }
            exit = outcome.exitCode();
            // srun's words for its task's end, as Slurm's srun says them of a --pty task; salloc says nothing.
            if (taskZero && outcome.exitCode() != 0) {
                err.println(program + ": error: " + first.hostname() + ": task 0: "
                        + TaskEnds.describe(outcome.exitCode()));
            }
            return null;
        } finally {
            connection.close();
        }
    }

    /**
     * Follows the connection's breaks: it reconnects by itself, and once it is back the node is sent again the input
     * it may have missed, and the user told what may be lost. A break not over within {@link RelayReconnect#LIMIT}
     * gives the run up: the connection is abandoned, which also frees the run's thread from its wait for the broker.
     */
    private ScheduledExecutorService watch(Connection connection, GrantedExec exec, String url, String host)
            throws JMSException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, program + "-link-watch");
            t.setDaemon(true);
            return t;
        });
        BrokerConnections.watchLink(connection, new BrokerConnections.LinkListener() {
            @Override
            public void lost() {
                if (broke == null) {
                    Instant since = Clock.systemUTC().instant();
                    broke = since;
                    timer.schedule(() -> giveUpIfStill(since, connection, url, host),
                            RelayReconnect.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }

            @Override
            public void regained() {
                broke = null;
                err.println(program + ": the connection to the head broke and is back; what the command on " + host
                        + " wrote meanwhile may be lost, its input goes on");
                exec.relinked();
            }
        });
        return timer;
    }

    private void giveUpIfStill(Instant since, Connection connection, String url, String host) {
        if (!since.equals(broke) || gaveUp) {
            return;
        }
        gaveUp = true;
        err.println(program + ": error: lost the connection to the head at " + url + " for "
                + RelayReconnect.LIMIT.toSeconds() + " s; " + host + " kills the command once it stops hearing from "
                + program);
        // Its sends and closes, and the run's wait for an answer, would wait for the broker for ever.
        BrokerConnections.abandon(connection);
    }

    private ClientReply.ExecGrantResult grant(RequestClient requests, long id) throws JMSException, IOException {
        try {
            ClientReply reply = requests.send(new ClientRequest.ExecGrant(id, System.getProperty("user.name")))
                    .get(GRANT_WAIT_SECONDS, TimeUnit.SECONDS);
            if (reply instanceof ClientReply.ExecGrantResult g) {
                return g;
            }
            if (reply instanceof ClientReply.JobRejected r) {
                // A head from before exec-grant does not know the request.
                throw new IOException("the head cannot grant commands in a job (" + r.reason() + ")");
            }
            throw new IOException("the head answered exec-grant with " + MessageCodec.typeName(reply));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking the head for job " + id + "'s exec grant", e);
        } catch (ExecutionException e) {
            throw new IOException("no exec grant for job " + id + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IOException("the head did not answer exec-grant for job " + id + " within " + GRANT_WAIT_SECONDS
                    + " s", e);
        }
    }
}
