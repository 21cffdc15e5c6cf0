package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fair share end to end through bin/cadre against 'cadre up' with one core, a fair-share weight and a charge every
 * second: the caller's job runs and is charged; then, behind a blocker of the caller's, the caller's next job and a
 * job of a user who has used nothing (submitted later, through the REST API) wait. sshare shows both users' usage
 * and factors in Slurm's layout, sprio their fair-share points, and the light user's job starts first.
 */
class FairShareSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "1", "--priority-weight-fairshare", "100000",
            "--priority-calc-period", "1");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() {
        cadre = HEAD.cadre();
    }

    @Test
    void aLightUsersJobPassesAHeavyUsersAndSshareAndSprioSayWhy() throws Exception {
        String me = System.getProperty("user.name");
        long ran = cadre.sbatch("--wrap", "sleep 2");
        cadre.awaitState(ran, "COMPLETED", WAIT);
        CadreCommands.await("my usage charged", WAIT, () -> rawUsage(me) >= 2);
        assertEquals(List.of(
                "Account                    User  RawShares  NormShares    RawUsage  EffectvUsage  FairShare ",
                "-------------------- ---------- ---------- ----------- ----------- ------------- ---------- "),
                cadre.ok("sshare").out().lines().limit(2).toList(), "sshare's header");

        Path gate = cadre.workDir.resolve("fair-share-gate");
        Path order = cadre.workDir.resolve("fair-share-order.txt");
        long blocker = cadre.sbatch("--wrap", "while [ ! -f " + gate + " ]; do sleep 0.1; done");
        cadre.awaitState(blocker, "RUNNING", WAIT);
        long mine = cadre.sbatch("--wrap", "echo mine >> " + order);
        long light = lightUsersJob(order);
        try {
            CadreCommands.await("fsbob counted", WAIT, () -> rawUsage("fsbob") == 0);
            List<String> lines = cadre.ok("sshare", "-a").out().lines().toList();
            String[] root = lines.get(2).split(" +");
            assertEquals(List.of("root", "1.000000", "1.000000", "0.500000"), List.of(root[0], root[1], root[3],
                    root[4]), "the root account's line: " + lines);
            assertTrue(lines.contains(String.format(" root%26s          1    0.500000           0      0.000000"
                    + "   1.000000 ", "fsbob")), "the light user's line: " + lines);
            List<String> users = cadre.ok("sshare", "-a", "-U", "-n", "-P", "-o",
                    "User,RawShares,NormShares,Eff,FairShare").out().lines().toList();
            assertEquals(2, users.size(), users.toString());
            assertTrue(users.containsAll(List.of(me + "|1|0.500000|1.000000|0.250000",
                    "fsbob|1|0.500000|0.000000|1.000000")), "all the usage is mine: 2^-(1/0.5) against 2^0: " + users);
            List<String> rows = cadre.ok("sprio", "-h", "-S", "-y", "-o", "%i|%u|%F").out().lines().toList();
            assertEquals(List.of(light + "|fsbob|100000", mine + "|" + me + "|25000"), rows,
                    "the light user's job first, for its fair-share points");
            assertEquals("          JOBID PARTITION   PRIORITY       SITE        AGE  FAIRSHARE\n"
                    + "        Weights                               1      10080     100000\n",
                    cadre.ok("sprio", "-w").out());
        } finally {
            Files.writeString(gate, "");
        }
        cadre.awaitState(mine, "COMPLETED", WAIT);
        cadre.awaitState(light, "COMPLETED", WAIT);
        assertEquals("bob\nmine\n", Files.readString(order), "the scheduler's order is sprio's");
        CadreProcess.Result bad = cadre.run("sshare", "-o", "User,Bogus");
        assertEquals(new CadreProcess.Result(1, "", "sshare: error: Invalid field requested: \"Bogus\"\n"), bad);
    }

    /** A job of a user who has run nothing, submitted as the REST API lets a trusted client submit for anyone. */
    private static long lightUsersJob(Path order) throws Exception {
        String body = cadre.restPost("/api/jobs", "{\"spec\": {\"name\": \"light\", \"user\": \"fsbob\","
                + " \"script\": \"#!/bin/sh\\necho bob >> " + order + "\\n\", \"workDir\": \"/tmp\"}}");
        Matcher m = Pattern.compile("\"jobId\"\\s*:\\s*([0-9]+)").matcher(body);
        assertTrue(m.find(), body);
        return Long.parseLong(m.group(1));
    }

    /** The user's RawUsage as sshare prints it; -1 while sshare shows no line for the user. */
    private static long rawUsage(String user) {
        try {
            for (String line : cadre.ok("sshare", "-a", "-U", "-n", "-P", "-o", "User,RawUsage").out().lines()
                    .toList()) {
                String[] f = line.split("\\|");
                if (f[0].equals(user)) {
                    return Long.parseLong(f[1]);
                }
            }
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }
}
