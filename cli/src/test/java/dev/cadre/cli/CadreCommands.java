package dev.cadre.cli;

import dev.cadre.broker.ClientFile;
import dev.cadre.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * What a user runs against a head: bin/cadre and its Slurm links in a work directory with the head's client file,
 * and the REST API with its token. {@link CadreProcess} adds starting and stopping the head itself.
 */
class CadreCommands {
    static final Path ROOT = Path.of(System.getProperty("cadre.root", "..")).toAbsolutePath().normalize();
    private static final Duration COMMAND_INTERVAL = Duration.ofMillis(50);
    final Path dataDir;
    final Path workDir;

    CadreCommands(Path dataDir, Path workDir) {
        this.dataDir = dataDir;
        this.workDir = workDir;
    }

    record Result(int exit, String out, String err) {
    }

    /** Runs bin/NAME (a Slurm link or cadre) in the work directory with the client file of this head. */
    Result run(String name, String... args) throws Exception {
        return run(Map.of(), name, args);
    }

    /** Like {@link #run(String, String...)}, with these variables added to the command's environment. */
    Result run(Map<String, String> env, String name, String... args) throws Exception {
        return run(env, null, name, args);
    }

    /** Like {@link #run(String, String...)}, with this text on the command's standard input. */
    Result runWithInput(String input, String name, String... args) throws Exception {
        return run(Map.of(), input, name, args);
    }

    /** @param input the command's standard input; null gives it an empty one, as CI's commands have */
    private Result run(Map<String, String> env, String input, String name, String... args) throws Exception {
        ProcessBuilder pb = client(env, name, args);
        Path in = Files.createTempFile(workDir.getParent(), "in", ".txt");
        Files.writeString(in, input == null ? "" : input);
        Path out = Files.createTempFile(workDir.getParent(), "out", ".txt");
        Path err = Files.createTempFile(workDir.getParent(), "err", ".txt");
        Process p = pb.redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not finish within 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** bin/NAME with its arguments, to run in the work directory with this head's client file. */
    private ProcessBuilder client(Map<String, String> env, String name, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("bin/" + name).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().putAll(env);
        pb.environment().put("CADRE_CONFIG", dataDir.resolve("client.json").toString());
        return pb;
    }

    /** Starts bin/NAME as run does, without waiting for it; stdout and stderr both go to the file. */
    Process startClient(Path output, String name, String... args) throws IOException {
        return startClient(Map.of(), output, name, args);
    }

    /** Like {@link #startClient(Path, String, String...)}, with these variables added to its environment. */
    Process startClient(Map<String, String> env, Path output, String name, String... args) throws IOException {
        return client(env, name, args).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** Runs a client command that must succeed; a failure names the command and what it printed. */
    Result ok(String name, String... args) throws Exception {
        Result r = run(name, args);
        if (r.exit() != 0) {
            throw new AssertionError(name + " " + String.join(" ", args) + " failed: " + r);
        }
        return r;
    }

    long sbatch(String... args) throws Exception {
        Result r = run("sbatch", args);
        if (r.exit() != 0 || !r.out().startsWith("Submitted batch job ")) {
            throw new AssertionError("sbatch failed: " + r);
        }
        return Long.parseLong(r.out().trim().substring("Submitted batch job ".length()));
    }

    /** The job's state as sacct shows it (-X: the job alone, not its batch step), without whom a cancel names. */
    String state(long id) throws Exception {
        Result r = run("sacct", "-X", "-j", "" + id, "-n", "-P", "--format", "State");
        return r.out().trim().replace("|", "").replaceFirst(" by .*", "");
    }

    /** The uid of the user running the tests, as sacct shows who cancelled a job ("CANCELLED by 1000"). */
    static String myUid() throws Exception {
        Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!id.waitFor(30, TimeUnit.SECONDS) || id.exitValue() != 0) {
            throw new IllegalStateException("id -u failed: " + uid);
        }
        return uid;
    }

    /** scontrol as a user who is no operator, in this process: every process the test starts is the head's owner. */
    Result scontrolAsUser(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new ScontrolCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dataDir.resolve("client.json").toString(),
                Clock.systemUTC()).run(List.of(args), false, Map.of());
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Map<String, String> sacct(long id) throws Exception {
        String line = run("sacct", "-X", "-j", "" + id, "-n", "-P", "--format", "JobID,State,ExitCode").out().trim();
        String[] f = line.split("\\|");
        return Map.of("id", f[0], "state", f[1], "exit", f[2]);
    }

    void awaitState(long id, String state, Duration timeout) throws Exception {
        await("job " + id + " to be " + state, timeout, () -> {
            try {
                return state(id).equals(state);
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** GETs a REST API path with the client file's bearer token; fails unless the answer is 200. */
    String restGet(String path) throws Exception {
        HttpResponse<String> r = rest(path, request -> request);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** POSTs JSON to a REST API path with the client file's bearer token; fails unless the answer is 2xx. */
    String restPost(String path, String json) throws Exception {
        HttpResponse<String> r = rest(path, request -> request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private HttpResponse<String> rest(String path, UnaryOperator<HttpRequest.Builder> method)
            throws Exception {
        ClientFile client = ClientFile.read(dataDir.resolve(ClientFile.CLIENT_FILE));
        return HttpClient.newHttpClient().send(method.apply(HttpRequest.newBuilder(URI.create(client.httpUrl() + path))
                .header("Authorization", "Bearer " + client.token()).timeout(Duration.ofSeconds(60))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The file's text; empty while it does not exist or cannot be read. */
    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * {@link Await#until(String, Duration, Duration, BooleanSupplier)} every 50 ms, under the name the system tests
     * know: their conditions often run a cadre command, a JVM each, which a shorter interval would crowd the cores with.
     */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, timeout, COMMAND_INTERVAL, condition);
    }

    /** {@link Await#until(String, Duration, Duration, BooleanSupplier)}. */
    static void await(String what, Duration timeout, Duration interval, BooleanSupplier condition)
            throws InterruptedException {
        Await.until(what, timeout, interval, condition);
    }
}
