package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.cli.wire.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * sshare's table from GET /api/shares, laid out as Slurm's sshare lays out the classic multifactor's: the root
 * account, then each user under it, one share each.
 */
class SshareFormatTest {
    private static final ShareReport REPORT = ShareReport.of(Json.parse("{\"account\":\"root\",\"weight\":1000,"
            + "\"halfLifeSeconds\":604800,\"chargedUntil\":\"2026-11-26T12:00:00Z\",\"rawUsage\":4000.5,"
            + "\"users\":[{\"user\":\"ann\",\"rawShares\":1,\"rawUsage\":3000.5},"
            + "{\"user\":\"bob\",\"rawShares\":1,\"rawUsage\":1000.0},"
            + "{\"user\":\"cy\",\"rawShares\":1,\"rawUsage\":0.0}]}"));

    private static List<String> sshare(String... args) throws SlurmUsageException {
        return SshareFormat.render(SshareOptions.parse(List.of(args), "bob", Map.of()), REPORT);
    }

    @Test
    void byDefaultTheRootAccountAndTheCallersOwnLine() throws Exception {
        assertEquals(List.of(
                "Account                    User  RawShares  NormShares    RawUsage  EffectvUsage  FairShare ",
                "-------------------- ---------- ---------- ----------- ----------- ------------- ---------- ",
                "root                                          1.000000        4000      1.000000   0.500000 ",
                " root                       bob          1    0.333333        1000      0.249969   0.594642 "),
                sshare());
    }

    @Test
    void allUsersLongAndParsable() throws Exception {
        assertEquals(List.of(
                "Account|User|RawShares|NormShares|RawUsage|NormUsage|EffectvUsage|FairShare|GrpTRESMins|TRESRunMins",
                "root|||1.000000|4000|1.000000|1.000000|0.500000||",
                " root|ann|1|0.333333|3000|0.750031|0.750031|0.210210||",
                " root|bob|1|0.333333|1000|0.249969|0.249969|0.594642||",
                " root|cy|1|0.333333|0|0.000000|0.000000|1.000000||"), sshare("-a", "-l", "-P"));
        assertEquals(List.of("root|||1.000000|4000|1.000000|0.500000|", " root|ann|1|0.333333|3000|0.750031|0.210210|",
                " root|cy|1|0.333333|0|0.000000|1.000000|"), sshare("-n", "-p", "-u", "ann,cy"));
        assertEquals(sshare("-a"), sshare("-u", "-1"), "-u -1 is every user");
    }

    @Test
    void usersOnlyFieldsOfOurChoosingAndOtherAccounts() throws Exception {
        assertEquals(List.of("ann|0.210210", "bob|0.594642", "cy|1.000000"), sshare("-a", "-U", "-n", "-P", "-o",
                "user,fairs"));
        assertEquals(List.of("     User    FairShare ", "--------- ------------ ", "      bob     0.594642 "),
                sshare("-U", "-o", "User%9,FairShare%12"));
        assertEquals(List.of("Account|User"), sshare("-P", "-A", "physics", "-o", "A,User"),
                "Cadre has no account but root");
        SlurmUsageException bad = assertThrows(SlurmUsageException.class, () -> sshare("-o", "User,Bogus"));
        assertEquals(List.of("sshare: error: Invalid field requested: \"Bogus\""), bad.lines());
    }

    private static String pad(String name) {
        return name + " ".repeat(17 - name.length());
    }

    @Test
    void helpFormatListsEveryFieldFourToALine() throws Exception {
        SshareOptions o = SshareOptions.parse(List.of("-e"), "bob", Map.of());
        String line1 = String.join(" ", pad("Account"), pad("Cluster"), pad("EffectvUsage"), pad("FairShare"));
        String line4 = String.join(" ", pad("GrpTRESMins"), pad("TRESRunMins"));
        List<String> lines = o.help().lines().toList();
        assertEquals(4, lines.size());
        assertEquals(line1, lines.get(0));
        assertEquals(line4, lines.get(3));
    }
}
