package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobSpec;
import dev.cadre.db.JobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A control request sent again under its requestId (a client whose first try timed out), or redelivered under the
 * broker's stamp, is carried out once and answered as the first time, also by a head restarted in between (docs/
 * protocol.md 7.7). Against a real embedded broker and a real SQLite file.
 */
class RepeatedControlRequestTest {
    @TempDir
    Path dir;
    final List<Throwable> fatal = Collections.synchronizedList(new ArrayList<>());

    private static ControlRequest.UpdateJob longer(long job, String requestId) {
        return new ControlRequest.UpdateJob(job, null, null, null, null, null, 300L, requestId);
    }

    private static long limitOf(SchedulerOnBroker head, long job) {
        return head.jobs().find(job).orElseThrow().spec().timeLimitSeconds();
    }

    @Test
    void aRelativeTimeLimitSentTwiceUnderOneIdIsAppliedOnceAndAnsweredAlikeAcrossARestart() throws Exception {
        long job;
        ClientReply first;
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), fatal::add)) {
            head.scheduler().start();
            job = head.scheduler().admit(List.of(new JobStore.NewJob("k1", JobSpec.builder().user("alice")
                    .script("#!/bin/sh\ntrue\n").workDir("/tmp").timeLimitSeconds(600L).hold("user").build(),
                    Instant.now(), "None"))).get(0).job().id();
            first = head.scheduler().control(longer(job, "scontrol-7f3a"));
            assertTrue(((ClientReply.ControlResult) first).ok(), first.toString());
            assertEquals(900, limitOf(head, job));
            assertEquals(first, head.scheduler().control(longer(job, "scontrol-7f3a")), "the first answer again");
            assertEquals(900, limitOf(head, job), "TimeLimit+=300 sent twice under one id adds 300 once");

            // Another request under the same id is the client's mistake: refused, nothing changed.
            var other = (ClientReply.ControlResult) head.scheduler().control(new ControlRequest.UpdateJob(job, null,
                    null, null, null, null, 60L, "scontrol-7f3a"));
            assertFalse(other.ok());
            assertTrue(other.reason().contains("requestId scontrol-7f3a was given to another request"), other.reason());
            assertEquals(900, limitOf(head, job));

            // Without an id, a broker redelivery (the same stamp) is recognised too; a new message is a new request.
            head.scheduler().control(longer(job, null), "stamp-1");
            head.scheduler().control(longer(job, null), "stamp-1");
            assertEquals(1200, limitOf(head, job));
            head.scheduler().control(longer(job, null), "stamp-2");
            assertEquals(1500, limitOf(head, job));
        }
        try (SchedulerOnBroker restarted = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), fatal::add)) {
            restarted.scheduler().start();
            assertEquals(first, restarted.scheduler().control(longer(job, "scontrol-7f3a")),
                    "remembered in SQLite, not only in memory");
            assertEquals(1500, limitOf(restarted, job));
            ClientReply release = restarted.scheduler().control(new ControlRequest.ReleaseJob(job, null, false,
                    "release-1"));
            assertEquals(release, restarted.scheduler().control(new ControlRequest.ReleaseJob(job, null, false,
                    "release-1")));
        }
        assertEquals(List.of(), fatal);
    }
}
