package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the programs under examples/ as separate processes, the way a user would, against one head. */
final class ExampleClients implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    /** Generous: the JMS examples are compiled at every launch, on machines shared with other builds. */
    static final Duration LIMIT = Duration.ofSeconds(120);

    enum Protocol {
        JMS("jms/JmsSubmit.java", "jms/JmsWatch.java"),
        AMQP("amqp_submit.py", "amqp_watch.py"),
        STOMP("stomp_submit.py", "stomp_watch.py");

        final String submitProgram;
        final String watchProgram;

        Protocol(String submitProgram, String watchProgram) {
            this.submitProgram = submitProgram;
            this.watchProgram = watchProgram;
        }
    }

    private final CadreProcess cadre;
    private final List<Process> started = new ArrayList<>();

    ExampleClients(CadreProcess cadre) {
        this.cadre = cadre;
    }

    /** Fails, never skips, when the Python clients are missing: CI installs them (.ci/run). */
    static void requirePythonClients() throws Exception {
        Process p = new ProcessBuilder(PYTHON, "-c", "import proton, stomp").redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(PYTHON + " did not start within 60 s");
        }
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), "the example tests need " + PYTHON + " with Debian's python3-qpid-proton"
                + " and python3-stomp (apt-get install python3-qpid-proton python3-stomp): " + output);
    }

    record Outcome(int exit, String out, String err) {
        ClientReply reply() {
            try {
                return MessageCodec.decode(out.trim(), ClientReply.class);
            } catch (ProtocolException e) {
                throw new AssertionError("no readable reply (" + e.getMessage() + "): " + this, e);
            }
        }

        ClientReply.JobAccepted accepted() {
            assertEquals(0, exit, "exit code of an accepted submission: " + this);
            return assertInstanceOf(ClientReply.JobAccepted.class, reply(), this::toString);
        }

        ClientReply.JobRejected rejected() {
            assertEquals(2, exit, "exit code of a rejected submission: " + this);
            return assertInstanceOf(ClientReply.JobRejected.class, reply(), this::toString);
        }
    }

    /** A started example: its process and the files its output goes to. */
    record Launched(Protocol protocol, Process process, Path out, Path err) {
        String output() {
            return CadreProcess.read(out);
        }

        String errors() {
            return CadreProcess.read(err);
        }

        /** Waits for the end within the limit; a process still running then is killed and the test fails. */
        int exit() throws InterruptedException {
            if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(protocol + " example did not finish within " + LIMIT + "; it printed "
                        + output() + errors());
            }
            return process.exitValue();
        }
    }

    /** Runs the protocol's submit example to its end, in the head's work directory. */
    Outcome submit(Protocol protocol, String... args) throws Exception {
        Launched l = start(protocol.submitProgram, protocol, args);
        return new Outcome(l.exit(), l.output(), l.errors());
    }

    /** Starts the protocol's watch example and waits until it reports its subscription. */
    Watcher watch(Protocol protocol, String... args) throws Exception {
        Launched l = start(protocol.watchProgram, protocol, args);
        CadreProcess.await(protocol + " watcher to subscribe", LIMIT, () -> {
            if (!l.process().isAlive() && l.process().exitValue() != 0) {
                throw new AssertionError(protocol + " watcher failed: " + l.errors());
            }
            return l.errors().contains("subscribed to cadre.events");
        });
        return new Watcher(l);
    }

    record Watcher(Launched launched) {
        /** Waits for the watcher to exit by itself and returns the events it printed. */
        List<JobEvent.JobStateChanged> events() throws Exception {
            assertEquals(0, launched.exit(), launched.protocol() + " watcher: " + launched.errors());
            List<JobEvent.JobStateChanged> events = new ArrayList<>();
            for (String line : launched.output().split("\n")) {
                if (!line.isBlank()) {
                    events.add(MessageCodec.decode(line, JobEvent.JobStateChanged.class));
                }
            }
            return events;
        }
    }

    private Launched start(String program, Protocol protocol, String... args) throws Exception {
        Path file = CadreProcess.ROOT.resolve("examples").resolve(program);
        List<String> cmd = new ArrayList<>(protocol == Protocol.JMS
                ? List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                        CadreProcess.ROOT.resolve("cli/target/lib") + "/*", file.toString())
                : List.of(PYTHON, file.toString()));
        cmd.addAll(List.of("--config", cadre.dataDir.resolve("client.json").toString()));
        cmd.addAll(List.of(args));
        Path logs = Files.createDirectories(cadre.dataDir.getParent().resolve("example-logs"));
        Path out = Files.createTempFile(logs, protocol + "-", ".out");
        Path err = out.resolveSibling(out.getFileName().toString().replace(".out", ".err"));
        Process p = new ProcessBuilder(cmd).directory(cadre.workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        started.add(p);
        return new Launched(protocol, p, out, err);
    }

    /** Ends whatever a failed test left running. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        started.clear();
    }
}
