package dev.cadre.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.broker.ClientFile;
import dev.cadre.protocol.MessageCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The web benchmark (bench/README.md): a head with a history of jobs ('cadre up' as its own process, as a user
 * runs it), the REST list call timed from a client, and the status page in headless Chromium timed by
 * web-bench.mjs: its first load, and how long each job event takes from the scheduler's decision to the page.
 * Prints a Markdown table; exits 1 when a run could not be measured.
 */
public final class WebBenchmark {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private record Options(Path root, Path browserDir, int jobs, int listCalls, int pageLoads, int events,
            Path dataRoot, boolean keep) {
    }

    private WebBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Path work = o.dataRoot() != null ? Files.createDirectories(o.dataRoot())
                : Files.createTempDirectory("cadre-web-bench");
        Path data = work.resolve("data"); // where LocalCadre.start points the head
        try {
            progress("seeding " + o.jobs() + " ended jobs into " + data);
            JobHistorySeed.fill(data, o.jobs(), Instant.now());
            progress("starting " + o.root().resolve("bin/cadre") + " up on " + data);
            try (LocalCadre head = LocalCadre.start(o.root().resolve("bin/cadre"), work,
                    List.of("--heartbeat", "500"))) {
                ClientFile client = ClientFile.read(head.clientFile());
                Map<String, LatencySummary> lists = new LinkedHashMap<>();
                for (String path : List.of("/api/jobs?order=desc&limit=50",
                        "/api/jobs?order=desc&limit=50&state=FAILED", "/api/jobs?order=desc&limit=50&q=sim-7",
                        "/api/jobs?limit=1000", "/api/cluster", "/api/cluster/history?minutes=60&points=120")) {
                    lists.put(path, time(client, path, o.listCalls()));
                }
                JsonNode browser = runBrowser(o, client, head.workDir(), work);
                print(o, lists, browser);
            }
        } finally {
            if (!o.keep()) {
                LocalCadre.deleteTree(work);
            }
        }
    }

    private static Options parse(String[] args) {
        Path root = Path.of(System.getProperty("cadre.root", ".")).toAbsolutePath().normalize();
        List<String> rest = new java.util.ArrayList<>(List.of(args));
        boolean keep = rest.remove("--keep-data");
        if (rest.size() % 2 != 0) {
            throw new IllegalArgumentException("every option but --keep-data takes a value: " + rest);
        }
        Map<String, String> given = new java.util.HashMap<>();
        for (int i = 0; i < rest.size(); i += 2) {
            given.put(rest.get(i), rest.get(i + 1));
        }
        java.util.Set<String> unknown = new java.util.TreeSet<>(given.keySet());
        unknown.removeAll(List.of("--jobs", "--list-calls", "--page-loads", "--events", "--data-dir"));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + unknown + "; see bench/README.md");
        }
        return new Options(root, root.resolve("bench/target/web-bench"), count(given, "--jobs", 10_000),
                count(given, "--list-calls", 1000), count(given, "--page-loads", 10), count(given, "--events", 50),
                given.containsKey("--data-dir") ? Path.of(given.get("--data-dir")) : null, keep);
    }

    private static int count(Map<String, String> given, String option, int fallback) {
        return given.containsKey(option) ? BenchmarkOptions.atLeast(1, option, given.get(option)) : fallback;
    }

    /** Sequential calls after a tenth as many uncounted; every answer must be 200, a list's with its total. */
    private static LatencySummary time(ClientFile client, String path, int calls) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(client.httpUrl() + path))
                .header("Authorization", "Bearer " + client.token()).build();
        for (int i = 0; i < calls / 10; i++) {
            HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            nanos[i] = System.nanoTime() - t0;
            if (r.statusCode() != 200 || path.startsWith("/api/jobs") && r.headers().firstValue("X-Total-Count")
                    .isEmpty()) {
                throw new IllegalStateException("GET " + path + " answered " + r.statusCode());
            }
        }
        progress("GET " + path + ": " + calls + " calls");
        return LatencySummary.of(List.of(nanos));
    }

    private static JsonNode runBrowser(Options o, ClientFile client, Path jobsDir, Path work) throws Exception {
        Path out = work.resolve("browser.json");
        Path log = work.resolve("browser.log");
        ProcessBuilder pb = new ProcessBuilder("node", o.browserDir().resolve("web-bench.mjs").toString())
                .directory(o.browserDir().toFile()).redirectOutput(out.toFile()).redirectError(log.toFile());
        pb.environment().put("CADRE_URL", client.httpUrl());
        pb.environment().put("CADRE_TOKEN", client.token());
        pb.environment().put("WORK_DIR", jobsDir.toString());
        pb.environment().put("PAGE_LOADS", "" + o.pageLoads());
        pb.environment().put("EVENTS", "" + o.events());
        progress("running the page in Chromium (" + o.pageLoads() + " loads, " + o.events() + " jobs' events)");
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("web-bench.mjs did not end in 10 minutes: " + Files.readString(out)
                    + Files.readString(log));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("web-bench.mjs failed: " + Files.readString(out) + Files.readString(log));
        }
        return MessageCodec.mapper().readTree(Files.readString(out));
    }

    private static void print(Options o, Map<String, LatencySummary> lists, JsonNode browser) {
        System.out.println("| measure | runs | p50 ms | p90 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|");
        lists.forEach((path, s) -> row("`GET " + path + "`", o.listCalls(), s));
        row("first page load, signed in, to the job table drawn", browser.path("pageLoads").size(),
                summary(browser.path("pageLoads")));
        row("first page load to the login form", browser.path("loginLoads").size(),
                summary(browser.path("loginLoads")));
        JsonNode events = browser.path("eventLatencies");
        row("job event: scheduler's decision to the page", events.size(), summary(events, null));
        for (String state : List.of("PENDING", "RUNNING", "COMPLETED")) {
            LatencySummary s = summary(events, state);
            row("&nbsp;&nbsp;of which " + state, (int) stream(events).filter(e -> e.path("state").asText()
                    .equals(state)).count(), s);
        }
        System.out.println();
        System.out.println("History: " + o.jobs() + " jobs. Page loads: a new browser context each (empty cache).");
    }

    private static LatencySummary summary(JsonNode millis) {
        return LatencySummary.of(List.of(stream(millis).mapToLong(m -> Math.round(m.asDouble() * 1e6)).toArray()));
    }

    /** The latencies of the events of one state, or of all when state is null. */
    private static LatencySummary summary(JsonNode events, String state) {
        return LatencySummary.of(List.of(stream(events).filter(e -> state == null || e.path("state").asText()
                .equals(state)).mapToLong(e -> Math.round(e.path("ms").asDouble() * 1e6)).toArray()));
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    private static void row(String name, int runs, LatencySummary s) {
        System.out.printf("| %s | %d | %.1f | %.1f | %.1f | %.1f |%n", name, runs, s.p50(), s.p90(), s.p99(), s.max());
    }

    private static void progress(String line) {
        System.err.println("bench: " + line);
    }
}
