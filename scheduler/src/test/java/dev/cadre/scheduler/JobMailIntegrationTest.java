package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.scheduler.core.MutableClock;
import dev.cadre.scheduler.core.SchedulerCore;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --mail-type end to end in the head: the real scheduler service on an embedded broker and SQLite, the test playing
 * the node, and a real mail program (a shell script that writes down how it was called) run as Slurm runs MailProg.
 */
class JobMailIntegrationTest {
    @TempDir
    Path dir;

    private RecordingMailProgram mails;

    @BeforeEach
    void mailProgram() {
        mails = new RecordingMailProgram(dir);
    }

    private static JobStore.NewJob job(String name, String mailUser, String... types) {
        return new JobStore.NewJob(name, JobSpec.builder().name(name).user("alice").script("#!/bin/sh\ntrue\n")
                .workDir("/tmp").mailType(types.length == 0 ? null : List.of(types)).mailUser(mailUser).build(),
                Instant.now(), "None");
    }

    /** The test's side of node n1, 8 cores, registered with a head started to mail through mail. */
    private record Node(Session session, MessageConsumer commands, MessageProducer runner) {
    }

    private static Node node(SchedulerOnBroker head, Connection c, MailSender mail) throws Exception {
        head.scheduler().sendMail(mail).start();
        Session s = c.createSession(true, Session.SESSION_TRANSACTED);
        Node node = new Node(s, s.createConsumer(s.createQueue(Destinations.nodeQueue("n1"))),
                s.createProducer(s.createQueue(Destinations.RUNNER_EVENTS)));
        c.start();
        node.runner().send(s.createTextMessage(MessageCodec.encode(new RunnerEvent.NodeHeartbeat("n1", "host1",
                List.of("10.0.0.1"), 8, 4096, 0, List.of(), Instant.now()))));
        s.commit();
        return node;
    }

    private static String finished(NodeCommand.PlaceJob p, int exit) {
        return MessageCodec.encode(new RunnerEvent.RunnerFinished(p.jobId(), p.attempt(), "n1", exit, 0, null,
                Instant.now(), null, null));
    }

    @Test
    void aJobThatRunsIsMailedItsBeginAndEndOneThatFailsItsFailureAndNoneNothing() throws Exception {
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(200), e -> { });
                Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().admin(), "node")) {
            MailSender mail = new MailSender(mails.script(), Duration.ofSeconds(10), 100);
            Node node = node(head, c, mail);
            Session s = node.session();
            MessageConsumer commands = node.commands();
            MessageProducer runner = node.runner();
            List<JobStore.Admission> admitted = head.scheduler().admit(List.of(
                    job("ok", "bob@example.org", "BEGIN", "END"), job("bad", null, "END", "FAIL"),
                    job("quiet", "bob@example.org", "NONE"), job("flaky", "fail@example.org", "BEGIN")));
            Map<String, Long> ids = new HashMap<>();
            admitted.forEach(a -> ids.put(a.job().name(), a.job().id()));
            Map<String, NodeCommand.PlaceJob> on = SchedulerOnBroker.placed(commands, 4);
            s.commit();
            runner.send(s.createTextMessage(finished(on.get("quiet"), 1)));
            runner.send(s.createTextMessage(finished(on.get("flaky"), 0)));
            runner.send(s.createTextMessage(finished(on.get("ok"), 0)));
            runner.send(s.createTextMessage(finished(on.get("bad"), 1)));
            s.commit();

            mails.await("three mails and the failed one",
                    () -> mails.lines("mail.log").size() >= 3 && !mails.lines("failed").isEmpty());
            mail.close(); // lets any mail still queued run before the count below
            assertTrue(mail.idle(), "every mail sent");
            List<String> sent = new ArrayList<>(mails.lines("mail.log"));
            sent.sort(null);
            List<String> want = new ArrayList<>(List.of(
                    "-s|Slurm Job_id=" + ids.get("ok") + " Name=ok Began, Queued time 00:00:0",
                    "-s|Slurm Job_id=" + ids.get("ok") + " Name=ok Ended, Run time 00:00:0",
                    "-s|Slurm Job_id=" + ids.get("bad") + " Name=bad Failed, Run time 00:00:0"));
            assertEquals(3, sent.size(), "no mail for NONE, none through a failing program: " + sent);
            for (int i = 0; i < 3; i++) {
                assertTrue(sent.get(i).startsWith(want.get(i)), sent.get(i) + " should start " + want.get(i));
            }
            assertTrue(sent.get(0).endsWith("|bob@example.org|"), "to --mail-user, empty body: " + sent.get(0));
            assertTrue(sent.get(1).endsWith(", COMPLETED, ExitCode 0|bob@example.org|"), sent.get(1));
            assertTrue(sent.get(2).endsWith(", FAILED, ExitCode 1|alice|"), "to the job's user: " + sent.get(2));
        }
    }

    /** Node n1 of 8 cores heard, and a pass run, under the head's lock, as the node's events would. */
    private static List<JobRecord> placeOn(SchedulerOnBroker head) {
        SchedulerService scheduler = head.scheduler();
        scheduler.apply(() -> scheduler.core().onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "host1",
                List.of("10.0.0.1"), 8, 4096, 0, List.of(), Instant.now())));
        scheduler.apply(() -> scheduler.core().schedule());
        return head.jobs().unfinished().stream().filter(j -> j.state() == JobState.RUNNING).toList();
    }

    private static void finish(SchedulerOnBroker head, JobRecord task, int exit) {
        SchedulerService scheduler = head.scheduler();
        scheduler.apply(() -> scheduler.core().onRunnerEvent(new RunnerEvent.RunnerFinished(task.id(),
                task.attempt(), "n1", exit, 0, null, Instant.now(), null, null)));
    }

    /**
     * An array's first task fails, the head stops and a new one starts on the same cadre.db, the other two tasks
     * complete: the summary counts the failure of the head before (without it, COMPLETED, ExitCode [0-0]).
     */
    @Test
    void anArraysSummaryCountsTheTasksThatEndedBeforeTheHeadRestarted() throws Exception {
        List<JobRecord> tasks;
        long array;
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(200), e -> { })) {
            head.scheduler().sendMail(new MailSender(mails.script(), Duration.ofSeconds(10), 100)).start();
            array = head.scheduler().admit(List.of(new JobStore.NewJob("arr", job("arr", null, "END").spec()
                    .toBuilder().array("0-2").build(), Instant.now(), "None"))).get(0).job().id();
            tasks = placeOn(head);
            assertEquals(3, tasks.size(), "every task runs: " + tasks);
            finish(head, tasks.get(0), 3);
        }
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(200), e -> { })) {
            MailSender mail = new MailSender(mails.script(), Duration.ofSeconds(10), 100);
            head.scheduler().sendMail(mail).start();
            finish(head, tasks.get(1), 0);
            finish(head, tasks.get(2), 0);
            mails.await("the array's summary", mails.mailed(1));
            mail.close();
            assertEquals(List.of("-s|Slurm Array Summary Job_id=" + array + "_* (" + array + ") Name=arr Ended,"
                    + " Mixed, ExitCode [0-3]|alice|"), mails.lines("mail.log"));
        }
    }

    /**
     * A job of a 100 s limit is mailed its 50 % share, the head stops, and the next one starts on the same cadre.db
     * with its clock 41 s on (91 s into the job): it mails the 80 % and 90 % shares that passed while no head ran, and
     * not the 50 % one again; a third head mails none of them again.
     */
    @Test
    void theSharesOfATimeLimitThatPassedWhileTheHeadWasDownAreMailedOnce() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        JobSpec spec = job("t", null, "TIME_LIMIT_50", "TIME_LIMIT_80", "TIME_LIMIT_90").spec().toBuilder()
                .timeLimitSeconds(100L).build();
        long id;
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(100), Duration.ofHours(1),
                clock, e -> { })) {
            head.scheduler().sendMail(new MailSender(mails.script(), Duration.ofSeconds(10), 100)).start();
            id = head.scheduler().admit(List.of(new JobStore.NewJob("t", spec, Instant.now(), "None"))).get(0).job()
                    .id();
            assertEquals(1, placeOn(head).size());
            clock.advance(Duration.ofSeconds(50));
            mails.await("the 50 % mail", mails.mailed(1));
        }
        clock.advance(Duration.ofSeconds(41));
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(100), Duration.ofHours(1),
                clock, e -> { })) {
            MailSender mail = new MailSender(mails.script(), Duration.ofSeconds(10), 100);
            head.scheduler().sendMail(mail).start();
            mails.await("the 80 % and 90 % mails", mails.mailed(3));
            mail.close();
        }
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(100), Duration.ofHours(1),
                clock, e -> { })) {
            MailSender mail = new MailSender(mails.script(), Duration.ofSeconds(10), 100);
            head.scheduler().sendMail(mail).start();
            SchedulerCore core = head.scheduler().core();
            synchronized (core) {
                assertEquals(List.of(), core.timeLimitMail().notices(), "every share is stored as mailed");
            }
            mail.close();
        }
        List<String> sent = new ArrayList<>(mails.lines("mail.log"));
        sent.sort(null);
        String job = "-s|Slurm Job_id=" + id + " Name=t Reached ";
        assertEquals(List.of(job + "50% of time limit, Run time 00:00:50|alice|",
                job + "80% of time limit, Run time 00:01:31|alice|", job + "90% of time limit, Run time 00:01:31|alice|"),
                sent);
    }

    /**
     * As Slurm keeps a job's mail_type, its time-limit bits cleared as it mails, through a requeue: a job of a 100 s
     * limit mailed its 50 % share is requeued and starts again; its second attempt is not mailed 50 % again, neither
     * by this head nor by the next one, started on the same cadre.db 81 s into that attempt, which mails its 80 %.
     */
    @Test
    void aRequeuedJobIsNotMailedAgainTheSharesOfItsEarlierAttempt() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        JobSpec spec = job("r", null, "TIME_LIMIT_50", "TIME_LIMIT_80").spec().toBuilder().timeLimitSeconds(100L)
                .build();
        long id;
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(100), Duration.ofHours(1),
                clock, e -> { })) {
            MailSender mail = new MailSender(mails.script(), Duration.ofSeconds(10), 100);
            head.scheduler().sendMail(mail).start();
            id = head.scheduler().admit(List.of(new JobStore.NewJob("r", spec, Instant.now(), "None"))).get(0).job()
                    .id();
            assertEquals(1, placeOn(head).size());
            clock.advance(Duration.ofSeconds(50));
            mails.await("the first attempt's 50 % mail", mails.mailed(1));
            SchedulerService scheduler = head.scheduler();
            SchedulerCore core = scheduler.core();
            scheduler.apply(() -> core.control().requeue(new ControlRequest.RequeueJob(id, null, false)).decisions());
            scheduler.apply(() -> core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, 1, "n1", 0, 15,
                    JobState.REQUEUED, Instant.now(), null, null)));
            List<JobRecord> again = placeOn(head);
            assertEquals(List.of(2), again.stream().map(JobRecord::attempt).toList(), "started again");
            clock.advance(Duration.ofSeconds(50));
            synchronized (core) {
                assertEquals(List.of(), core.timeLimitMail().notices(), "50 % of the second attempt");
            }
            mail.close();
        }
        clock.advance(Duration.ofSeconds(31));
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(100), Duration.ofHours(1),
                clock, e -> { })) {
            MailSender mail = new MailSender(mails.script(), Duration.ofSeconds(10), 100);
            head.scheduler().sendMail(mail).start();
            mails.await("the second attempt's 80 % mail", mails.mailed(2));
            mail.close();
        }
        String job = "-s|Slurm Job_id=" + id + " Name=r Reached ";
        assertEquals(List.of(job + "50% of time limit, Run time 00:00:50|alice|",
                job + "80% of time limit, Run time 00:01:21|alice|"), mails.lines("mail.log"));
    }

    @Test
    void aMailProgramThatHangsHoldsUpNoScheduling() throws Exception {
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(200), e -> { });
                Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().admin(), "node")) {
            Node node = node(head, c, new MailSender(mails.script(), Duration.ofSeconds(60), 100));
            Session s = node.session();
            MessageConsumer commands = node.commands();
            head.scheduler().admit(List.of(job("h1", "hang@example.org", "BEGIN"),
                    job("h2", "hang@example.org", "BEGIN"), job("h3", "hang@example.org", "BEGIN")));
            SchedulerOnBroker.placed(commands, 3);
            s.commit();
            mails.await("both mail threads hanging", () -> mails.lines("hanging").size() == 2);
            // Every mail thread is stuck, and a third mail waits behind them: the next job starts all the same.
            head.scheduler().admit(List.of(job("later", null)));
            assertEquals(List.of("later"), List.copyOf(SchedulerOnBroker.placed(commands, 1).keySet()));
            s.commit();
            assertEquals(2, mails.lines("hanging").size(), "the mails still hang");
        }
    }
}
