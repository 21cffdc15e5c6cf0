package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ScontrolKeywordsTest {

    private static void command(String canonical, String... typed) {
        for (String t : typed) {
            assertEquals(canonical, ScontrolKeywords.command(t), t);
        }
    }

    @Test
    void commandWordsAreShortenedAsScontrolShortensThem() {
        command("release", "rel", "RELEASE", "release");
        command("wait_job", "wa", "wait", "wait_job", "WAIT_JOB");
        command("ping", "pin", "ping");
        command("details", "d", "de", "det");
        command("delete", "del", "delete");
        command("update", "u", "up", "update");
        command("hold", "hold", "HOLD");
        // scontrol compares four letters: any word starting "hold" holds, "holdu" as the user's hold.
        command("uhold", "holdu", "uhold", "holduser");
        command("requeue", "req", "requeue");
        command("requeuehold", "requeuehold");
        command("show", "sho", "show");
        command("suspend", "su", "sus", "suspend");
        command("resume", "res", "resume");
        command("top", "top");
        command("token", "tok");
        command("version", "vers", "version");
        command("errnumstr", "errnostr", "er");
        command("fsdampeningfactor", "fairsharedampeningfactor", "fai");
        command("write", "write");
        command("hash", "hash");
        command("quiet", "\\q", "quie");
        Arrays.asList("re", "sh", "pi", "to", "ver", "h", "w", "writ", "requeueh", "releasex", "hash_f", "bogus", "")
                .forEach(t -> assertNull(ScontrolKeywords.command(t), t));
    }

    @Test
    void showsEntitiesAreShortenedAsScontrolShortensThem() {
        String[][] cases = {{"job", "j", "job", "jobs", "jobid", "JOBS"}, {"node", "n", "node", "nodes"},
            {"partition", "pa", "part", "partition", "partitions", "PartitionName"},
            {"hostnames", "hostn", "hostnames"}, {"hostlist", "hostl", "hostlist"},
            {"hostlistsorted", "hostlists", "hostlistsorted"}, {"reservation", "r", "res"}, {"config", "c"},
            {"federations", "f"}, {"frontendname", "fr"}};
        for (String[] c : cases) {
            for (int i = 1; i < c.length; i++) {
                assertEquals(c[0], ScontrolKeywords.entity(c[i]), c[i]);
            }
        }
        Arrays.asList("p", "host", "hostlistx", "s", "x", "jobz").forEach(t -> assertNull(ScontrolKeywords.entity(t), t));
    }

    @Test
    void theCommandsCadreLeavesOutAreRefusedByNameTheOthersNot() {
        for (String c : new String[] {"notify", "listpids", "reboot_nodes", "reconfigure",
            "shutdown", "token", "takeover", "abort", "setdebug", "pidinfo"}) {
            String refusal = ScontrolKeywords.refusal(c);
            assertTrue(refusal.startsWith("scontrol: error: " + c + " is not supported by this Cadre version: "),
                    refusal);
            assertTrue(!refusal.contains("\n"), refusal);
        }
        for (String c : new String[] {"create", "hold", "release", "show", "ping", "wait_job", "update", "help", "quit",
            "suspend", "resume", "top"}) {
            assertNull(ScontrolKeywords.refusal(c), c);
        }
    }
}
