package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.web.JobSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Users' ids and groups as Slurm's commands print them, from passwd and group files and from this machine. */
class UnixAccountsTest {
    @TempDir
    Path dir;

    private UnixAccounts accounts() throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), String.join("\n",
                "root:x:0:0:root:/root:/bin/bash",
                "alice:x:1000:50:Alice:/home/alice:/bin/bash",
                "alice:x:2000:2000:a second alice, which the C library never finds:/:/bin/sh",
                "bob:x:1001:777::/home/bob:/bin/sh",
                "dave:x:1002:50:Dave Jones,Room 5,,:/home/dave:/bin/sh",
                "broken:x:notanumber:1::/:/bin/sh",
                "short:x:5") + "\n");
        Path group = Files.writeString(dir.resolve("group"), "root:x:0:\nstaff:x:50:alice,bob\n");
        return new UnixAccounts(passwd, group, false);
    }

    @Test
    void aUserGetsItsIdsAndItsPrimaryGroupsName() throws Exception {
        UnixAccounts a = accounts();
        assertEquals(Optional.of(new UnixAccounts.Account("alice", 1000, 50, "staff", "Alice")), a.of("alice"));
        assertEquals(Optional.of("1000"), a.uid("alice"));
        assertEquals(Optional.of("50"), a.gid("alice"));
        assertEquals(Optional.of("staff"), a.group("alice"));
        // A primary group no group file names is shown by its id, as Slurm shows it.
        assertEquals(Optional.of("777"), a.group("bob"));
        assertEquals(Optional.empty(), a.of("carol"));
        assertEquals(Optional.empty(), a.of("broken"));
        assertEquals(Optional.empty(), a.of("short"));
    }

    @Test
    void theProperNameIsTheGecosFieldUpToItsFirstComma() throws Exception {
        UnixAccounts a = accounts();
        assertEquals(Optional.of("Dave Jones"), a.properName("dave"));
        assertEquals(Optional.of(""), a.properName("bob"));
        assertEquals(Optional.empty(), a.properName("carol"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-x", "a:b", "../etc", "a b", "root\n",
        "a234567890123456789012345678901234567890123456789012345678901234x"})
    void namesNoUserCouldHaveAreNeverLookedUp(String name) throws Exception {
        assertEquals(Optional.empty(), accounts().of(name));
    }

    @Test
    void thisMachinesRootIsFoundAndAnUnknownNameIsNot() {
        assertEquals(Optional.of(new UnixAccounts.Account("root", 0, 0, "root")), UnixAccounts.system().of("root")
                .map(r -> new UnixAccounts.Account(r.user(), r.uid(), r.gid(), r.group())));
        // Asked of getent too, which knows no such user either.
        assertEquals(Optional.empty(), UnixAccounts.system().of("cadre-no-such-user-41"));
    }

    @Test
    void scontrolShowsUserIdAndGroupIdWhenTheUserIsKnownHere() throws Exception {
        JobSpec spec = JobSpec.builder().name("j").user("alice").script("#!/bin/sh\n").workDir("/w").build();
        JobRecord pending = new JobRecord(3, "k3", spec, JobState.PENDING, "Priority", 0, null, false, null, null,
                Instant.parse("2026-03-10T14:00:00Z"), null, null, null, null);
        Json job = Json.parse(MessageCodec.encodeValue(JobSummary.of(pending, null)));
        Instant now = Instant.parse("2026-03-10T14:00:00Z");
        String shown = ScontrolJobFormat.render(job, now, ZoneOffset.UTC, false, accounts());
        assertTrue(shown.contains("\n   UserId=alice(1000) GroupId=staff(50) MCS_label=N/A\n   Priority="), shown);
        String unknown = ScontrolJobFormat.render(job, now, ZoneOffset.UTC, false, UnixAccounts.NONE);
        assertTrue(unknown.contains("\n   UserId=alice\n   Priority="), unknown);
    }

    @Test
    void squeueAndSacctPrintTheIdsOfAUserKnownHere() throws Exception {
        SqueueJob root = SqueueFormatTest.job(5, "5", "j", "root", JobState.RUNNING, 10, null, 1, 1, "node1", null);
        SqueueJob stranger = SqueueFormatTest.job(6, "6", "j", "cadre-no-such-user-41", JobState.RUNNING, 10, null,
                1, 1, "node1", null);
        assertEquals(List.of("USER GROUP GROUP", "0 0 root", "N/A N/A N/A"), SqueueFormat.render(
                SqueueFormat.parse("%U %G %g"), List.of(root, stranger), true, SqueueFormatTest.CLOCK));
        SacctRow rootRow = new SacctRow("5", "5", "j", "batch", "", "root", 1, 1, null, "COMPLETED", 0, 0, "node1",
                null, null, null, null, 0, null, null, null, null, null, null, null);
        SacctRow step = SacctRow.brief("5.batch", "batch", null, "", 1, "COMPLETED", 0, 0);
        assertEquals(List.of("UID|GID|Group", "0|0|root", "||"), SacctFormat.render(List.of("UID", "GID", "Group"),
                List.of(rootRow, step), true, PrintFields.Parsable.NO_TRAILING_BAR, ZoneOffset.UTC));
    }
}
