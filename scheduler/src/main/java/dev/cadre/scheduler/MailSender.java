package dev.cadre.scheduler;

import dev.cadre.scheduler.core.JobMail;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the mail program for each notice as Slurm runs its MailProg: {@code PROGRAM -s SUBJECT RECIPIENT}, an empty
 * body on standard input. On threads of its own with a bounded queue, so that a slow or hanging program never holds
 * up scheduling: a call past its timeout is killed, and a failure or a full queue is logged with the job's id and
 * the mail dropped.
 */
public final class MailSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailSender.class);
    /** Slurm's MAIL_PROG_TIMEOUT. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    static final int DEFAULT_QUEUE = 1000;
    private static final int THREADS = 2;

    private final Path program;
    private final Duration timeout;
    private final ThreadPoolExecutor executor;
    /** Mails queued or under way. */
    private final AtomicInteger unsent = new AtomicInteger();

    public MailSender(Path program) {
        this(program, DEFAULT_TIMEOUT, DEFAULT_QUEUE);
    }

    MailSender(Path program, Duration timeout, int queue) {
        this.program = program;
        this.timeout = timeout;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, "cadre-mail-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * The mail program the head runs: the one given, "" for none, or by default /usr/bin/mail when it is there to
     * run. Null when mail is off.
     */
    public static Path program(String given) {
        if (given != null) {
            return given.isEmpty() ? null : Path.of(given);
        }
        Path mail = Path.of("/usr/bin/mail");
        return Files.isExecutable(mail) ? mail : null;
    }

    /** Queues the notices; never blocks. */
    public void send(List<JobMail.Notice> notices) {
        for (JobMail.Notice n : notices) {
            unsent.incrementAndGet();
            try {
                executor.execute(() -> {
                    try {
                        run(n);
                    } finally {
                        unsent.decrementAndGet();
                    }
                });
            } catch (RejectedExecutionException e) {
                unsent.decrementAndGet();
                LOG.warn("job {}: mail \"{}\" to {} dropped: {}", n.jobId(), n.subject(), n.recipient(),
                        executor.isShutdown() ? "the scheduler is stopping" : "too many mails waiting");
            }
        }
    }

    private void run(JobMail.Notice n) {
        Process p;
        try {
            p = new ProcessBuilder(program.toString(), "-s", n.subject(), n.recipient())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            LOG.warn("job {}: mail program {} could not be started: {}", n.jobId(), program, e.getMessage());
            return;
        }
        try {
            // The empty body; a program that exited already may have closed its end.
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // Its exit status tells.
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                LOG.warn("job {}: mail program {} ran past {} s and was killed; mail \"{}\" dropped", n.jobId(),
                        program, timeout.toSeconds(), n.subject());
            } else if (p.exitValue() != 0) {
                LOG.warn("job {}: mail program {} exited {}; mail \"{}\" may not have gone", n.jobId(), program,
                        p.exitValue(), n.subject());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** For tests: no mail is waiting or under way. */
    boolean idle() {
        return unsent.get() == 0;
    }

    /** Lets the mails under way finish for a moment, then stops. */
    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }
}
