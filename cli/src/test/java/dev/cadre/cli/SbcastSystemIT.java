package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sbcast through bin/sbcast in a batch job on two node-runners, each in a mount namespace of its own with a tmpfs
 * at the same path, so that a destination there is local to each node as on a cluster without a shared file
 * system: a multi-MiB file with quotes, blanks and {@code $()} in its name arrives on both nodes (srun checks it on
 * each), an existing destination is refused without -f and replaced with it, a directory one node lacks fails that
 * node by name leaving no file, another job's id is refused; and sbcast outside a job says what Slurm says.
 */
class SbcastSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static boolean mountNamespaces() {
        try {
            Process p = new ProcessBuilder("unshare", "-m", "--propagation", "private", "true")
                    .redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aFileReachesEveryNodeOfTheJobAndFailuresNameTheirNode(@TempDir Path base) throws Exception {
        Assumptions.assumeTrue(mountNamespaces(), "needs root and unshare -m for node-local directories");
        Path scratch = Files.createDirectories(base.resolve("scratch"));
        CadreProcess cadre = new CadreProcess(base);
        cadre.startHead("server");
        List<Process> nodes = new ArrayList<>();
        try {
            for (String host : List.of("h1", "h2")) {
                nodes.add(cadre.startNode(base.resolve("node-" + host), host, List.of("unshare", "-m",
                        "--propagation", "private", "sh", "-c",
                        "mount -t tmpfs -o size=64m tmpfs \"$0\" && exec \"$@\"", scratch.toString())));
            }
            byte[] data = new byte[5 * 1024 * 1024 + 3];
            new Random(5).nextBytes(data);
            String name = "in 'put' \"q\" $(touch pwned).bin";
            Files.write(cadre.workDir.resolve(name), data);
            Files.writeString(cadre.workDir.resolve("other"), "replaced\n");
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            String dest = scratch + "/it's a \"copy\" $(x).bin";
            Path script = cadre.workDir.resolve("job.sh");
            Files.writeString(script, String.join("\n", "#!/bin/bash",
                    "sbcast \"$SRC\" \"$DEST\"; echo first=$?",
                    "srun -N2 -n2 --ntasks-per-node=1 bash -c 'echo $SLURMD_NODENAME $(sha256sum < \"$DEST\")"
                            + " $(stat -c %a \"$DEST\") $(ls -A \"${DEST%/*}\" | wc -l)' | sort",
                    "sbcast \"$SRC\" \"$DEST\" 2>err1; echo again=$?",
                    "sbcast -f other \"$DEST\"; echo forced=$?",
                    "srun -N2 -n2 --ntasks-per-node=1 cat \"$DEST\"",
                    "srun -N1 -n1 -w h1 mkdir \"${DEST%/*}/only-h1\"",
                    "sbcast -v other \"${DEST%/*}/only-h1/f\" 2>err2; echo partial=$?",
                    "srun -N2 -n2 --ntasks-per-node=1 bash -c"
                            + " 'echo $SLURMD_NODENAME $(ls -A \"${DEST%/*}/only-h1\" 2>/dev/null | wc -l)' | sort",
                    "sbcast -j 999999 other \"$DEST.2\" 2>err3; echo other-job=$?",
                    ""));
            Files.setPosixFilePermissions(cadre.workDir.resolve(name),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
            CadreProcess.Result submitted = cadre.run(Map.of("SRC", name, "DEST", dest), "sbatch", "-W", "-N", "2",
                    "-n", "2", "--ntasks-per-node=1", "-o", "job.out", script.toString());
            assertEquals(0, submitted.exit(), submitted + " " + CadreProcess.read(cadre.workDir.resolve("job.out")));
            List<String> out = Files.readAllLines(cadre.workDir.resolve("job.out"));
            assertEquals(List.of("first=0",
                    "h1 " + sha + " - 750 1",
                    "h2 " + sha + " - 750 1",
                    "again=1",
                    "forced=0",
                    "replaced",
                    "replaced",
                    "partial=1",
                    "h1 1",
                    "h2 0",
                    "other-job=1"), out);
            // One line a node, in the job's order of its nodes.
            String exists = ": File exists: " + dest + " (sbcast -f replaces it)";
            assertEquals(List.of("sbcast: error: REQUEST_FILE_BCAST(h1)" + exists,
                    "sbcast: error: REQUEST_FILE_BCAST(h2)" + exists),
                    Files.readAllLines(cadre.workDir.resolve("err1")).stream().sorted().toList());
            String partial = Files.readString(cadre.workDir.resolve("err2"));
            assertTrue(partial.contains("sbcast: h1: " + scratch + "/only-h1/f written, 9 bytes"), partial);
            assertTrue(partial.contains("sbcast: error: REQUEST_FILE_BCAST(h2): No such file or directory: there is no"
                    + " directory " + scratch + "/only-h1\n"), partial);
            String otherJob = Files.readString(cadre.workDir.resolve("err3"));
            assertTrue(otherJob.startsWith("sbcast: error: Slurm job ID 999999 lookup error: from inside job "),
                    otherJob);
            assertTrue(!Files.exists(cadre.workDir.resolve("pwned")) && !Files.exists(scratch.resolve("x")),
                    "names are never run");
            try (var s = Files.list(scratch)) {
                assertEquals(0, s.count(), "the copies went to the nodes' own directories, not the shared one");
            }

            // Outside a job the job is missing before the source is opened, as in Slurm.
            for (String source : List.of(name, "no such file")) {
                CadreProcess.Result outside = cadre.run("sbcast", source, "/tmp/never");
                assertEquals(new CadreProcess.Result(1, "", "sbcast: error: Need a job id to run this command.  Run"
                        + " from within a Slurm job or use the --jobid option.\n"), outside);
            }
        } finally {
            for (Process p : nodes) {
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
            cadre.stop();
        }
    }
}
