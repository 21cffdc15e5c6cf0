package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.protocol.ServiceRecord;
import dev.cadre.protocol.ServiceRefusal;
import dev.cadre.protocol.ServiceSpec;
import dev.cadre.scheduler.core.ServiceReconciler;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service requests and reconciler rounds against a real broker and SQLite. The scheduler's loop is not started
 * (or ticks once an hour), and rounds are run by hand, so that each one's outcome can be read from SQLite.
 */
class StandingServicesIntegrationTest {
    @TempDir
    Path dir;
    SchedulerOnBroker head;
    SchedulerService scheduler;

    @AfterEach
    void stop() throws Exception {
        if (head != null) {
            head.close();
        }
    }

    private void open() throws Exception {
        head = SchedulerOnBroker.create(dir, Duration.ofHours(1), e -> { });
        scheduler = head.scheduler();
    }

    private void restart() throws Exception {
        head.close();
        open();
        scheduler.start();
    }

    private static ServiceSpec service(String name, int replicas, JobSpec.Builder template) {
        return new ServiceSpec(name, replicas, template.name(name).user("alice").script("#!/bin/sh\nsleep 300\n")
                .workDir("/tmp").build(), null);
    }

    private ClientReply.ServiceResult send(ClientRequest request) {
        return (ClientReply.ServiceResult) scheduler.control(request);
    }

    private void node(int cores) {
        scheduler.apply(() -> scheduler.core().onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "host1",
                List.of("10.0.0.1"), cores, 4096, 0, List.of(), Instant.now())));
    }

    /** The service's unfinished instances as SQLite has them, oldest first. */
    private List<JobRecord> instances(String name) {
        return head.jobs().unfinished().stream().filter(j -> name.equals(j.spec().service()))
                .sorted(Comparator.comparingLong(JobRecord::id)).toList();
    }

    private ServiceRecord stored(String name) {
        return new ServiceStore(Database.open(dir.resolve("cadre.db"))).list().stream()
                .filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    private void node(String id, int cores) {
        scheduler.apply(() -> scheduler.core().onRunnerEvent(new RunnerEvent.NodeHeartbeat(id, id, List.of(
                "10.0.0.1"), cores, 4096, 0, List.of(), Instant.now())));
    }

    private List<String> hostsOf(String name) {
        return instances(name).stream().map(j -> j.state() + "@" + j.allocation().hostnames()).toList();
    }

    @Test
    void replicasSpreadAndADrainMovesThemOffItsNodeWithoutSpendingTheBudget() throws Exception {
        open();
        node("n1", 8);
        node("n2", 8);
        assertTrue(send(new ClientRequest.CreateService(service("web", 2, JobSpec.builder()))).ok());
        scheduler.reconcileServices();
        scheduler.apply(() -> scheduler.core().schedule());
        assertEquals(List.of("RUNNING@n1", "RUNNING@n2"), hostsOf("web"), "one replica per node");

        node("n3", 8);
        assertTrue(((ClientReply.NodeResult) scheduler.control(new ControlRequest.DrainNode("n1", "disk swap",
                "root"))).ok());
        scheduler.reconcileServices();
        scheduler.apply(() -> scheduler.core().schedule());
        assertEquals(List.of("RUNNING@n1", "RUNNING@n2", "RUNNING@n3"), hostsOf("web"),
                "the replacement first, on the node holding none");
        scheduler.reconcileServices();
        assertEquals(List.of("COMPLETING@n1", "RUNNING@n2", "RUNNING@n3"), hostsOf("web"),
                "then the instance on the drained node is stopped");
        assertNull(stored("web").lastError(), "a move is no error (the log tells of it)");
        assertEquals(0, stored("web").consecutiveFailures());
    }

    @Test
    void aTemplateNoNodeCouldHoldIsRefusedAsSbatchIsAndAShrunkClusterIsReported() throws Exception {
        open();
        node(4);
        var big = send(new ClientRequest.CreateService(service("big", 1, JobSpec.builder().nodes(50))));
        assertFalse(big.ok());
        assertEquals(ServiceRefusal.INVALID_FIELD, big.code());
        assertEquals("service.template.nodes", big.field());
        assertTrue(big.reason().contains("asks 50 nodes"), big.reason());
        assertEquals(null, stored("big"), "nothing stored");

        assertTrue(send(new ClientRequest.CreateService(service("wide", 1, JobSpec.builder().cpusPerTask(4))))
                .ok());
        scheduler.reconcileServices();
        assertEquals(null, stored("wide").lastError());
        node(2);
        scheduler.reconcileServices();
        assertTrue(stored("wide").lastError().startsWith(ServiceReconciler.CANNOT_START
                + "service.template.cpusPerTask"), stored("wide").lastError());
        node(4);
        scheduler.reconcileServices();
        assertEquals(null, stored("wide").lastError(), "gone once a node could hold it again");
    }

    @Test
    void aCreateOrDeleteSentAgainIsHarmless() throws Exception {
        open();
        var spec = service("web", 1, JobSpec.builder());
        assertEquals(ClientReply.ServiceResult.made("web", "ACTIVE"), send(new ClientRequest.CreateService(spec)));
        var again = send(new ClientRequest.CreateService(spec));
        assertTrue(again.ok(), "the same create again finds what it made");
        assertEquals(Boolean.FALSE, again.created(), "and says it made nothing");
        assertTrue(again.reason().startsWith("service web already exists (ACTIVE): cadre service update web"
                + " --replicas N changes its size"), again.reason());
        var other = send(new ClientRequest.CreateService(service("web", 2, JobSpec.builder())));
        assertEquals(ServiceRefusal.CONFLICT, other.code());
        assertTrue(other.reason().contains("already exists"), other.reason());
        scheduler.reconcileServices();
        assertEquals(1, instances("web").size());
        assertEquals(ClientReply.ServiceResult.done("web", "DELETING"), send(new ClientRequest.DeleteService("web")));
        assertEquals(ClientReply.ServiceResult.done("web", "DELETING"), send(new ClientRequest.DeleteService("web")));
        var deleting = send(new ClientRequest.CreateService(spec));
        assertEquals(ServiceRefusal.CONFLICT, deleting.code());
        assertTrue(deleting.reason().startsWith("service web is being deleted and 1 of its instances is still"
                + " stopping"), deleting.reason());
        assertEquals(ServiceRefusal.NOT_FOUND, send(new ClientRequest.DeleteService("nothing")).code());
        assertEquals("name", send(new ClientRequest.DeleteService("a b")).field());
    }

    @Test
    void instancesKeepTheirKeysAcrossARestartAndADeleteCarriesOnAfterOne() throws Exception {
        open();
        assertTrue(send(new ClientRequest.CreateService(service("web", 2, JobSpec.builder()))).ok());
        scheduler.reconcileServices();
        List<JobRecord> first = instances("web");
        long created = stored("web").created().toEpochMilli();
        assertEquals(List.of("svc:web:" + created + ":0", "svc:web:" + created + ":1"),
                first.stream().map(JobRecord::submissionKey).toList());
        assertEquals(2, stored("web").launched());

        restart();
        scheduler.reconcileServices();
        assertEquals(first.stream().map(JobRecord::id).toList(), instances("web").stream().map(JobRecord::id)
                .toList(), "the restarted head created nothing more");
        assertEquals(2, stored("web").launched());

        // Running instances: their ends come only when this test reports them, so the delete is still under way
        // at the restart however far the loop (woken by the delete) has got with its own rounds.
        node(4);
        scheduler.apply(() -> scheduler.core().schedule());
        List<JobRecord> running = instances("web");
        assertEquals(List.of(JobState.RUNNING, JobState.RUNNING), running.stream().map(JobRecord::state).toList());
        assertTrue(send(new ClientRequest.DeleteService("web")).ok());
        scheduler.reconcileServices();
        restart();
        assertEquals(ServiceRecord.DELETING, stored("web").state());
        scheduler.reconcileServices();
        assertEquals(ServiceRecord.DELETING, stored("web").state(), "kept until its instances have ended");
        for (JobRecord j : running) {
            scheduler.apply(() -> scheduler.core().onRunnerEvent(new RunnerEvent.RunnerFinished(j.id(),
                    j.attempt(), "n1", 143, 15, null, Instant.now(), null)));
        }
        scheduler.reconcileServices();
        assertEquals(null, stored("web"), "forgotten once its instances are gone");
        for (JobRecord j : first) {
            assertEquals(JobState.CANCELLED, head.jobs().find(j.id()).orElseThrow().state());
        }
        assertTrue(send(new ClientRequest.CreateService(service("web", 1, JobSpec.builder()))).ok());
        scheduler.reconcileServices();
        assertFalse(instances("web").get(0).submissionKey().startsWith("svc:web:" + created + ":"),
                "a service created again under the name numbers its instances afresh");
    }

    @Test
    void scalingUpStartsMoreAndScalingDownCancelsTheNewest() throws Exception {
        open();
        assertTrue(send(new ClientRequest.CreateService(service("web", 2, JobSpec.builder()))).ok());
        scheduler.reconcileServices();
        long oldest = instances("web").get(0).id();
        assertEquals(ClientReply.ServiceResult.done("web", "ACTIVE"),
                send(new ClientRequest.UpdateService("web", 4, null)));
        scheduler.reconcileServices();
        assertEquals(4, instances("web").size());
        assertTrue(send(new ClientRequest.UpdateService("web", 1, 3)).ok());
        scheduler.reconcileServices();
        assertEquals(List.of(oldest), instances("web").stream().map(JobRecord::id).toList());
        assertEquals(3, stored("web").spec().failureBudget());
        assertEquals(1, stored("web").spec().replicas());
        assertEquals(ServiceRefusal.NOT_FOUND, send(new ClientRequest.UpdateService("nothing", 1, null)).code());
        assertEquals("replicas", send(new ClientRequest.UpdateService("web", -1, null)).field());
        assertTrue(send(new ClientRequest.DeleteService("web")).ok());
        assertEquals(ServiceRefusal.CONFLICT, send(new ClientRequest.UpdateService("web", 2, null)).code());
    }

    @Test
    void aRoundsCancelsAreStoredEvenWhenAdmittingItsNewInstancesFails() throws Exception {
        open();
        assertTrue(send(new ClientRequest.CreateService(service("a", 2, JobSpec.builder()))).ok());
        assertTrue(send(new ClientRequest.CreateService(service("b", 1, JobSpec.builder()))).ok());
        scheduler.reconcileServices();
        long extra = instances("a").get(1).id();
        // A real SQLite failure for b's next instance only: the disk, say, refusing that one write.
        Database.open(dir.resolve("cadre.db")).useHandle(h -> h.execute("CREATE TRIGGER refuse_b BEFORE INSERT ON"
                + " jobs WHEN NEW.submission_key LIKE 'svc:b:%' BEGIN SELECT RAISE(ABORT, 'refused by test'); END"));
        assertTrue(send(new ClientRequest.UpdateService("a", 1, null)).ok());
        scheduler.control(new ControlRequest.CancelJob(instances("b").get(0).id()));

        assertThrows(RuntimeException.class, scheduler::reconcileServices);
        assertEquals(JobState.CANCELLED, head.jobs().find(extra).orElseThrow().state(),
                "the cancel decided in the round is stored though the round's admission failed");

        Database.open(dir.resolve("cadre.db")).useHandle(h -> h.execute("DROP TRIGGER refuse_b"));
        scheduler.reconcileServices();
        assertEquals(1, instances("b").size(), "the next round creates what the failed one could not");
    }

    /**
     * A failure is stored with the instance's end, in one SQLite transaction: a head killed (kill -9) right after
     * the end was committed, before a reconciler round ran, restarts with the failure counted.
     */
    @Test
    void aFailureCountedForAnInstanceEndIsStoredWithThatEnd() throws Exception {
        open();
        ServiceSpec service = new ServiceSpec("web", 1, JobSpec.builder().name("web").user("alice")
                .script("#!/bin/sh\nexit 1\n").workDir("/tmp").build(), 3);
        assertTrue(send(new ClientRequest.CreateService(service)).ok());
        node(4);
        long instance = scheduler.admit(List.of(new JobStore.NewJob("svc:web:0", service.instanceSpec(),
                Instant.now(), "None"))).get(0).job().id();
        scheduler.apply(() -> scheduler.core().schedule());
        JobRecord running = head.jobs().find(instance).orElseThrow();
        assertEquals(JobState.RUNNING, running.state());

        scheduler.apply(() -> scheduler.core().onRunnerEvent(new RunnerEvent.RunnerFinished(instance,
                running.attempt(), "n1", 1, 0, null, Instant.now(), null)));

        assertEquals(JobState.FAILED, head.jobs().find(instance).orElseThrow().state());
        ServiceRecord afterRestart = stored("web");
        assertEquals(1, afterRestart.consecutiveFailures());
        assertTrue(afterRestart.lastError().startsWith("instance " + instance + " ended FAILED"),
                afterRestart.lastError());
    }
}
