package dev.cadre.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.MessageCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of the Python clients under cli/src/test/python, run by Debian's /usr/bin/python3 (the interpreter that
 * sees python3-qpid-proton and python3-stomp), with its output in a log file and no bytecode left in the tree.
 */
final class PythonScript implements AutoCloseable {
    static final Path DIR = CadreProcess.ROOT.resolve("cli/src/test/python");
    private final String name;
    private final Path log;
    private final Process process;

    private PythonScript(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    static PythonScript start(Path log, String script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-B", "-u", DIR.resolve(script).toString()));
        cmd.addAll(List.of(args));
        System.out.println("running " + String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new PythonScript(script, log, p);
    }

    /** Runs a script to its end and fails unless it exits with 0 in time. */
    static void run(Path log, Duration timeout, String script, String... args) throws Exception {
        try (PythonScript s = start(log, script, args)) {
            int exit = s.awaitExit(timeout);
            if (exit != 0) {
                throw new AssertionError(script + " exited with " + exit + ":\n" + CadreProcess.read(log));
            }
        }
    }

    /** Waits for the script to end; kills it and fails when it takes longer than the timeout. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new AssertionError(name + " did not finish within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    String output() {
        return CadreProcess.read(log);
    }

    /** The JSON object the script printed as its last line. */
    JsonNode summary() throws Exception {
        String[] lines = output().strip().split("\n");
        String last = lines[lines.length - 1];
        if (!last.startsWith("{")) {
            throw new AssertionError(name + " printed no summary:\n" + output());
        }
        return MessageCodec.mapper().readTree(last);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
