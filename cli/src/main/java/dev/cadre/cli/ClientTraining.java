package dev.cadre.cli;

import dev.cadre.broker.TlsKeyStore;
import dev.cadre.cli.wire.JsonWriter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The training run behind the client commands' class-data-sharing archive (bin/cadre --make-cds-archive): runs
 * every client command the way users do, against a local stand-in that answers as the REST API does, so that
 * the JVM that dumps the archive has loaded the classes those commands need. Nothing it prints is kept.
 */
public final class ClientTraining {
    private static final String JOB = "{\"id\":7,\"displayId\":\"7\",\"name\":\"train\",\"user\":\"u\","
            + "\"state\":\"RUNNING\",\"attempt\":1,\"nodes\":1,\"tasks\":2,\"cpus\":2,\"nodeList\":\"n1\","
            + "\"timeLimitSeconds\":600,\"submitTime\":\"2026-01-01T00:00:00Z\",\"startTime\":\"2026-01-01T00:00:01Z\","
            + "\"exitCode\":0,\"signal\":0,\"workDir\":\"/tmp\",\"attempts\":[]}";
    private static final String PENDING_ARRAY = "{\"id\":8,\"displayId\":\"8_[1-3%2]\",\"arrayJobId\":8,"
            + "\"arrayPending\":\"1-3\",\"arrayThrottle\":2,\"name\":\"a\",\"user\":\"u\",\"state\":\"PENDING\","
            + "\"reason\":\"Resources\",\"attempt\":0,\"nodes\":1,\"tasks\":1,\"cpus\":1,"
            + "\"submitTime\":\"2026-01-01T00:00:00Z\",\"workDir\":\"/tmp\"}";
    private static final String NODE = "{\"id\":\"n1-1\",\"hostname\":\"n1\",\"addresses\":[\"127.0.0.1\"],"
            + "\"cores\":4,\"memoryMb\":1024,\"gpus\":0,\"state\":\"UP\",\"lastSeen\":\"2026-01-01T00:00:00Z\","
            + "\"reason\":null,\"allocated\":{\"cores\":2,\"gpus\":0,\"memoryMb\":0,\"jobIds\":[7]}}";

    private static final String USAGE = "{\"jobId\":7,\"attempt\":1,\"nodes\":[{\"nodeId\":\"n1-1\","
            + "\"hostname\":\"n1\",\"coordinator\":true,\"running\":true,\"usage\":{\"userCpuMicros\":1000000,"
            + "\"systemCpuMicros\":20000,\"maxRssBytes\":1048576},\"rssBytes\":524288,\"pids\":[100,101],"
            + "\"time\":\"2026-01-01T00:00:05Z\",\"error\":null}]}";
    private static final String DIAGNOSTICS = "{\"time\":\"2026-01-01T00:02:00Z\",\"since\":\"2026-01-01T00:00:00Z\","
            + "\"serverThreads\":40,\"jobs\":{\"submitted\":3,\"started\":2,\"pending\":1,\"running\":1,"
            + "\"countedAt\":\"2026-01-01T00:01:59Z\"},\"schedule\":{\"cycles\":120,\"lastMicros\":90,"
            + "\"meanMicros\":80,\"meanDepth\":1},\"messages\":[{\"type\":\"submit-job\",\"count\":3,"
            + "\"totalMicros\":900,\"averageMicros\":300}]}";

    private ClientTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("cadre-cds-training");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answers = new Thread(() -> serve(server), "cadre-training-api");
            answers.setDaemon(true);
            answers.start();
            Path config = dir.resolve("client.json");
            Files.writeString(config, "{\"httpUrl\":\"http://127.0.0.1:" + server.getLocalPort()
                    + "\",\"token\":\"training\",\"user\":\"u\",\"password\":\"p\"}");
            Path script = dir.resolve("job.sh");
            Files.writeString(script, "#!/bin/bash\n#SBATCH -J train -N1 -n2 -c1 -t00:10:00 --mem=1G\n"
                    + "#SBATCH -o out-%j.txt --array=1-3%2\nhostname\n");
            run(config.toString(), commands(script.toString()));
            trainTls(dir);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * A few commands against a head started with --client-tls, whose handshake (the pinned certificate parsed and
     * checked, the key exchange) loads some 850 JDK classes: without them in the archive, squeue took about three
     * times as long against a TLS head as against a plain one (docs/benchmarks.md, "Slurm commands").
     */
    private static void trainTls(Path dir) throws IOException, GeneralSecurityException {
        TlsKeyStore key = TlsKeyStore.create(dir.resolve("training.p12"), "training");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(key.file())) {
            store.load(in, key.password().toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, key.password().toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        try (ServerSocket server = context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress())) {
            Thread answers = new Thread(() -> serve(server), "cadre-training-tls-api");
            answers.setDaemon(true);
            answers.start();
            Path config = dir.resolve("tls-client.json");
            Files.writeString(config, JsonWriter.write(Map.of("httpUrl", "https://127.0.0.1:"
                    + server.getLocalPort(), "token", "training", "user", "u", "password", "p", "headCertificate",
                    key.certificate().pem())));
            run(config.toString(), List.of(List.of("squeue"), List.of("sbatch", "--wrap", "true"),
                    List.of("scancel", "7")));
        }
    }

    private static void run(String config, List<List<String>> commands) {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(quiet);
        System.setErr(quiet);
        try {
            for (List<String> command : commands) {
                List<String> argv = new ArrayList<>(List.of("--config", config));
                argv.addAll(command);
                Main.run(argv.toArray(new String[0]));
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Every client command the way users run them. */
    private static List<List<String>> commands(String script) {
        return List.of(
                List.of("sbatch", "--wrap", "true"),
                List.of("sbatch", "--parsable", "-p", "debug", script, "arg"),
                List.of("sbatch", "--bogus"),
                List.of("scancel", "7"),
                List.of("scancel", "-u", "u", "-t", "PD"),
                List.of("sinfo"),
                List.of("sinfo", "-N", "-l"),
                List.of("squeue"),
                List.of("squeue", "-l"),
                List.of("squeue", "-h", "-o", "%i %T %M %l %N %D %C %S %V", "-u", "u", "-t", "all"),
                List.of("squeue", "-O", "jobid,name:20,state,timeused", "-j", "7", "--me"),
                List.of("sprio"),
                List.of("sprio", "-l", "-S", "-y", "-u", "u"),
                List.of("sshare"),
                List.of("sshare", "-a", "-l", "-P"),
                List.of("sacct"),
                List.of("sacct", "-j", "7", "-X", "-P", "-n", "--format=JobID,State,ExitCode,Elapsed,Start,End"),
                List.of("sacct", "-S", "now-1hour", "-E", "now", "-p"),
                List.of("sstat", "-j", "7"),
                List.of("sstat", "-i", "-P", "-j", "7.batch"),
                List.of("seff", "7"),
                List.of("sreport", "user", "TopUsage", "Start=2026-01-01"),
                List.of("sreport", "-P", "-t", "HourPer", "cluster", "AccountUtilizationByUser"),
                List.of("sreport", "job", "SizesByAccount", "Grouping=2,4"),
                List.of("sacctmgr", "-P", "show", "event", "All_Time", "Format=NodeName,Start,End,Duration,User"),
                // -j 0 is no job: nothing is copied, even when the training runs inside one.
                List.of("sbcast", "-f", "-p", "-C", "-t", "5", "-j", "0", script, "/tmp/cadre-sbcast-training"),
                List.of("sdiag"),
                List.of("scontrol", "show", "job", "7"),
                List.of("scontrol", "show", "node"),
                List.of("scontrol", "-o", "show", "hostnames", "n[1-2]"),
                List.of("scontrol", "show", "partition"),
                List.of("scontrol", "show", "hostlist", "n1,n2"),
                List.of("scontrol", "ping"),
                List.of("scontrol", "hold", "7"),
                List.of("service", "list"),
                List.of("rsh", "n1", "true"));
    }

    /** Answers every request as the REST API would answer its kind, until the socket closes. */
    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                String requestLine = readHead(in);
                String body = answer(requestLine);
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + b.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(b);
                out.flush();
            } catch (IOException e) {
                // The training goes on; a missed answer only means fewer classes loaded.
            }
        }
    }

    private static String answer(String requestLine) {
        String[] words = requestLine.split(" ");
        String method = words[0];
        String path = words.length > 1 ? words[1] : "/";
        if (method.equals("POST")) {
            return path.equals("/api/jobs") ? "{\"jobId\":9,\"duplicate\":false}" : "{\"ok\":true}";
        }
        if (path.startsWith("/api/nodes/events")) {
            return "{\"events\":[{\"nodeId\":\"n\",\"hostname\":\"n\",\"state\":\"DRAINED\",\"start\":"
                    + "\"2026-01-01T00:00:00Z\",\"end\":null,\"cores\":4,\"reason\":\"r\",\"user\":\"u\"}],"
                    + "\"truncated\":false}";
        }
        if (path.startsWith("/api/nodes")) {
            return "[" + NODE + "]";
        }
        if (path.startsWith("/api/jobs/") && path.endsWith("/usage")) {
            return USAGE;
        }
        if (path.startsWith("/api/jobs/")) {
            return JOB;
        }
        if (path.startsWith("/api/usage")) {
            return "{\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-01-02T00:00:00Z\",\"clusterCpus\":4,"
                    + "\"usage\":[{\"user\":\"u\",\"cpus\":2,\"jobs\":1,\"cpuSeconds\":7200}]}";
        }
        if (path.startsWith("/api/services")) {
            return "[]";
        }
        if (path.startsWith("/api/diagnostics")) {
            return DIAGNOSTICS;
        }
        return "[" + JOB + "," + PENDING_ARRAY + "]";
    }

    /** The request line; the headers and any body are read and dropped. */
    private static String readHead(InputStream in) throws IOException {
        int length = 0;
        String first = null;
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            String l = line.toString().trim();
            line.setLength(0);
            if (first == null) {
                first = l;
            } else if (l.isEmpty()) {
                break;
            } else if (l.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(l.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return first == null ? "GET /" : first;
    }
}
