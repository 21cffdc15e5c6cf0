package dev.cadre.protocol;

/**
 * Remote exec, the broker's stand-in for ssh: {@code cadre rsh} sends an exec-request to a node's exec queue
 * and keeps it alive; the node answers on the request's reply-to with exec-started, exec-output chunks in order,
 * and one exec-exit. A request that asks for input is followed by exec-input chunks, which the node acknowledges
 * with exec-input-ack as it writes them to the command's standard input. A requester at a terminal sends
 * exec-resize when its window changes size.
 */
public sealed interface ExecMessage extends Message {
    /** The requester's id for this run, unique per request; every answer carries it. */
    String requestId();

    /**
     * Run a command on the node, as {@code ssh HOST COMMAND} would: {@code bash -c COMMAND}.
     *
     * @param token the job-scoped exec token of the attempt; the node refuses a request without the right one
     * @param command the words of the remote command joined by single spaces, as ssh joins them
     * @param input true when exec-input messages follow: the command's standard input is then a pipe, else (null
     *        or false, a relay from before the field) /dev/null
     * @param task which task of an srun step the command is, for its share of the attempt's CPUs and GPUs on the
     *        node; null for a command that is no such task (an MPI daemon, a relay from before the field), which
     *        gets all of them
     */
    record ExecRequest(String requestId, long jobId, int attempt, String token, String command, Boolean input,
            StepTask task) implements ExecMessage {
        /** A request without input: the command's standard input is /dev/null. */
        public ExecRequest(String requestId, long jobId, int attempt, String token, String command) {
            this(requestId, jobId, attempt, token, command, null, null);
        }

        /** A request that is no step's task. */
        public ExecRequest(String requestId, long jobId, int attempt, String token, String command, Boolean input) {
            this(requestId, jobId, attempt, token, command, input, null);
        }

        /** Whether the command reads exec-input messages rather than /dev/null. */
        public boolean takesInput() {
            return Boolean.TRUE.equals(input);
        }
    }

    /**
     * One task of an srun step, as Slurm's slurmd knows it when it binds the task (task/affinity, gres/gpu). The node
     * checks every field before it runs anything (a malformed one refuses the request, naming it).
     *
     * @param localId the task's index among the step's tasks on this node (SLURM_LOCALID), from 0
     * @param tasksOnNode how many of the step's tasks run on this node
     * @param globalId the task's index in the step (SLURM_PROCID)
     * @param cpusPerTask srun's -c, null for 1
     * @param distribution how the node lays the tasks out over its sockets, the part of srun's -m after the colon:
     *        block, cyclic or fcyclic; null for Slurm's default (cyclic)
     * @param cpuBind srun's --cpu-bind as given (quiet, verbose, none, cores, threads, map_cpu:LIST, mask_cpu:LIST,
     *        comma-separated); null for the default, which binds each task to its own CPUs when the step's tasks
     *        fill the job's CPUs on the node
     * @param gpuBind srun's --gpu-bind (none, closest, single:N, per_task:N, map_gpu:LIST, mask_gpu:LIST, each
     *        after an optional "verbose,"), per_task:N for --gpus-per-task=N; null for none
     */
    record StepTask(Integer localId, Integer tasksOnNode, Integer globalId, Integer cpusPerTask, String distribution,
            String cpuBind, String gpuBind) {
    }

    /** Sent by the requester at least every keepalive interval; a silent requester's command is killed. */
    record ExecKeepalive(String requestId) implements ExecMessage {
    }

    /**
     * The command runs, as the leader of its own process group.
     *
     * @param input true when its standard input is a pipe that takes exec-input; null or false for /dev/null (a
     *        node from before the field, or a request without input)
     */
    record ExecStarted(String requestId, long pid, Boolean input) implements ExecMessage {
        public ExecStarted(String requestId, long pid) {
            this(requestId, pid, null);
        }

        public boolean takesInput() {
            return Boolean.TRUE.equals(input);
        }
    }

    /**
     * A piece of the command's standard input, in order: sent by the requester only within the window the node's
     * acknowledgements leave ({@code exec-input-ack}).
     *
     * @param offset where {@code data} starts in the whole input: the bytes sent before it
     * @param data the bytes, base64-encoded, at most 64 KiB of them; empty for an end without data
     * @param end true when no input follows: the node closes the command's standard input after {@code data}
     */
    record ExecInput(String requestId, long offset, String data, boolean end) implements ExecMessage {
    }

    /**
     * How far the node has written the command's standard input, sent to the run's reply queue after each write.
     *
     * @param offset the bytes of input written to the command so far
     * @param closed true when the node takes no more input: the end was written, or the command closed its standard
     *        input (exited, or {@code head -c 1} had enough); what comes after is dropped
     * @param error why an exec-input was refused (an offset out of order, too much input unacknowledged, input after
     *        its end); it changed nothing. Null otherwise
     */
    record ExecInputAck(String requestId, long offset, boolean closed, String error) implements ExecMessage {
    }

    /**
     * The requester's terminal changed size: the node gives the same size to the pseudo-terminal the command's
     * processes have as their controlling terminal (one the command made, as util-linux's script does for srun
     * --pty), whose foreground process group the kernel then sends SIGWINCH. A command without one is unaffected.
     *
     * @param rows the terminal's lines, 1 to 9999 (the node ignores a size outside that)
     * @param columns its columns, 1 to 9999
     */
    record ExecResize(String requestId, int rows, int columns) implements ExecMessage {
    }

    /**
     * A piece of the command's output, in order per stream.
     *
     * @param stream {@code stdout} or {@code stderr}
     * @param data the bytes, base64-encoded (output need not be text)
     */
    record ExecOutput(String requestId, String stream, String data) implements ExecMessage {
    }

    /**
     * The end: the command's exit code, or the signal that killed it, or why it never ran.
     *
     * @param exitCode the exit status as ssh reports it: the code, 128+signal for a signal, 255 when the node
     *        refused or could not run the command
     * @param signal the signal that ended the command, 0 when it exited by itself
     * @param error why the node refused, could not run or killed the command; null when it ran to its end
     * @param killedFor {@link JobState#OUT_OF_MEMORY} when the node is killing the command because the job's
     *        processes there hold more than its memory request ({@code error} names the node and the figures), the
     *        job's attempt to end so; null otherwise
     * @param usage what the command's processes used on its node, for the job's accounting; null when the node could
     *        not tell (it never ran, or ended while no node-runner watched it)
     */
    record ExecExit(String requestId, int exitCode, int signal, String error, JobState killedFor,
            ResourceUsage usage) implements ExecMessage {
        /** An end that is no kill for the job's memory, with no usage known. */
        public ExecExit(String requestId, int exitCode, int signal, String error) {
            this(requestId, exitCode, signal, error, null, null);
        }

        /** An end with no usage known. */
        public ExecExit(String requestId, int exitCode, int signal, String error, JobState killedFor) {
            this(requestId, exitCode, signal, error, killedFor, null);
        }
    }
}
