package dev.cadre.cli;

import dev.cadre.cli.slurm.CommandOptions;
import dev.cadre.cli.slurm.SbcastAllocation;
import dev.cadre.cli.slurm.SbcastCommandLine;
import dev.cadre.cli.slurm.SbcastRemoteCopy;
import dev.cadre.cli.slurm.SlurmUsageException;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * sbcast SOURCE DEST: copies a file to every node of the current job, each copy through the node's exec relay as
 * cadre-rsh runs a command ({@link RelayCall}), the file as its standard input, the remote side written by
 * {@link SbcastRemoteCopy}. Up to the fan-out's nodes are copied to at once. A node that fails is named with its
 * reason, and sbcast exits 1 once every node has been tried.
 */
final class SbcastCommand {
    /** Slurm's old MAX_THREADS, the default fan-out. */
    private static final int DEFAULT_FANOUT = 8;
    /** What a node's stderr is kept to, for its error line. */
    private static final int KEPT_OUTPUT = 8192;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final String cwd;

    SbcastCommand(PrintStream out, PrintStream err, Map<String, String> env, String cwd) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.cwd = cwd;
    }

    int run(List<String> args) {
        CommandOptions<SbcastCommandLine> read = CommandOptions.read(() -> SbcastCommandLine.parse(args, env, cwd),
                out, err);
        if (read.exit() != null) {
            return read.exit();
        }
        SbcastCommandLine line = read.options();
        line.warnings().forEach(err::println);
        if (line.verbose() > 0) {
            line.optionLines().forEach(err::println);
        }
        // The job first, as sbcast finds it while reading its command line, before it opens the source.
        SbcastAllocation allocation;
        try {
            allocation = SbcastAllocation.of(line.jobId(), env);
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return e.exitCode();
        }
        Path source = Path.of(line.source());
        SbcastRemoteCopy copy;
        try {
            copy = describe(source, line);
        } catch (IOException e) {
            err.println("sbcast: error: Can't open `" + line.source() + "`: " + reason(e));
            return 1;
        }
        if (line.verbose() > 0) {
            err.println("sbcast: jobid      = " + allocation.jobId());
            err.println("sbcast: node_cnt   = " + allocation.hosts().size());
            err.println("sbcast: node_list  = " + String.join(",", allocation.hosts()));
            err.println("sbcast: size     = " + copy.size());
        }
        return copyToAll(source, copy, allocation.hosts(), line);
    }

    /** The source's size, mode, times (before it is read, which may change its access time) and SHA-256. */
    private static SbcastRemoteCopy describe(Path source, SbcastCommandLine line) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(source, BasicFileAttributes.class);
        if (attrs.isDirectory()) {
            throw new IOException("Is a directory");
        }
        int mode = (Integer) Files.getAttribute(source, "unix:mode");
        SbcastRemoteCopy.Times times = line.preserve() ? times(attrs.lastAccessTime(), attrs.lastModifiedTime())
                : null;
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        long size = 0;
        try (InputStream in = Files.newInputStream(source)) {
            byte[] b = new byte[1 << 16];
            int n;
            while ((n = in.read(b)) >= 0) {
                digest.update(b, 0, n);
                size += n;
            }
        }
        return new SbcastRemoteCopy(line.destination(), line.destinationDirectory(), size,
                HexFormat.of().formatHex(digest.digest()), mode, line.force(), times);
    }

    private static SbcastRemoteCopy.Times times(FileTime access, FileTime modify) {
        var a = access.toInstant();
        var m = modify.toInstant();
        return new SbcastRemoteCopy.Times(a.getEpochSecond(), a.getNano(), m.getEpochSecond(), m.getNano());
    }

    /** strerror's words for what opening the source met. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage();
    }

    private int copyToAll(Path source, SbcastRemoteCopy copy, List<String> hosts, SbcastCommandLine line) {
        int fanout = line.fanout() <= 0 ? DEFAULT_FANOUT : line.fanout();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(fanout, hosts.size()), r -> {
            Thread t = new Thread(r, "sbcast");
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sbcast-timeout");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> results = new ArrayList<>();
            for (String host : hosts) {
                results.add(pool.submit(() -> copyTo(host, source, copy, line.timeoutSeconds(), watch)));
            }
            int rc = 0;
            for (int i = 0; i < hosts.size(); i++) {
                String failure;
                try {
                    failure = results.get(i).get();
                } catch (Exception e) {
                    failure = e.toString();
                }
                if (failure != null) {
                    err.println("sbcast: error: REQUEST_FILE_BCAST(" + hosts.get(i) + "): " + failure);
                    rc = 1;
                } else if (line.verbose() > 0) {
                    err.println("sbcast: " + hosts.get(i) + ": " + copy.destination() + " written, " + copy.size()
                            + " bytes, SHA-256 " + copy.sha256());
                }
            }
            return rc;
        } finally {
            pool.shutdownNow();
            watch.shutdownNow();
        }
    }

    /** One node's copy; null when it arrived whole, else why not. */
    private String copyTo(String host, Path source, SbcastRemoteCopy copy, int timeoutSeconds,
            ScheduledExecutorService watch) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Progress progress = new Progress();
        InputStream file;
        try {
            file = new Watched(Files.newInputStream(source), progress);
        } catch (IOException e) {
            return "Can't open `" + source + "`: " + reason(e);
        }
        int status;
        try (RelayCall call = RelayCall.start(env, copy.relayArguments(host), file)) {
            if (timeoutSeconds > 0) {
                progress.stallCheck(call, timeoutSeconds, watch);
            }
            status = call.await(new RelayCall.Output() {
                @Override
                public void stdout(byte[] data) {
                    progress.noted();
                    keep(stdout, data);
                }

                @Override
                public void stderr(byte[] data) {
                    progress.noted();
                    keep(stderr, data);
                }
            });
        } catch (IOException e) {
            if (progress.timedOut) {
                return "Socket timed out on send/recv operation (no progress for " + timeoutSeconds + " s; sbcast -t"
                        + " sets the limit)";
            }
            return "the exec relay failed: " + e.getMessage();
        } finally {
            progress.cancel();
        }
        String said = stderr.toString(StandardCharsets.UTF_8).strip();
        if (status != 0) {
            return said.isEmpty() ? "the copy ended with exit status " + status : said;
        }
        if (!stdout.toString(StandardCharsets.UTF_8).endsWith(copy.confirmation())) {
            return "the node did not confirm the copy" + (said.isEmpty() ? "" : ": " + said);
        }
        return null;
    }

    private static void keep(ByteArrayOutputStream to, byte[] data) {
        to.write(data, 0, Math.min(data.length, Math.max(0, KEPT_OUTPUT - to.size())));
    }

    /** When a node's copy last moved: input taken, or an answer given. */
    private static final class Progress {
        private volatile long last = System.nanoTime();
        private volatile boolean timedOut;
        private volatile Future<?> check;

        void noted() {
            last = System.nanoTime();
        }

        /** Hangs the call up once it has not moved for the timeout: its node kills the command, removing its file. */
        void stallCheck(RelayCall call, int seconds, ScheduledExecutorService watch) {
            long limit = TimeUnit.SECONDS.toNanos(seconds);
            check = watch.scheduleWithFixedDelay(() -> {
                if (System.nanoTime() - last > limit && !timedOut) {
                    timedOut = true;
                    try {
                        call.close();
                    } catch (IOException e) {
                        // hung up either way
                    }
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
        }

        void cancel() {
            Future<?> f = check;
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    /** The source as a node reads it, each read counting as progress. */
    private static final class Watched extends FilterInputStream {
        private final Progress progress;

        Watched(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            progress.noted();
            return n;
        }
    }
}
