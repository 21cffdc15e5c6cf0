package dev.cadre.scheduler;

import dev.cadre.db.JobStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.protocol.ClientReply.ServiceResult;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.ServiceRecord;
import dev.cadre.protocol.ServiceRefusal;
import dev.cadre.protocol.ServiceValidator;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.NodeTimes;
import dev.cadre.scheduler.core.SchedulerCore;
import dev.cadre.scheduler.core.ServiceReconciler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell around {@link ServiceReconciler}: keeps the services in memory and in SQLite, and carries out the
 * reconciler's rounds on the core. Called under the core's lock only.
 */
final class StandingServices {
    private static final Logger LOG = LoggerFactory.getLogger(StandingServices.class);
    private final ServiceStore store;
    private final Clock clock;
    private final Map<String, ServiceRecord> services = new LinkedHashMap<>();
    /** Services changed in memory and not yet stored: {@link #toStore} hands them to the decisions' transaction. */
    private final Map<String, ServiceRecord> unsaved = new LinkedHashMap<>();
    /** Instances the last round decided to create, for the caller to admit once the round is stored. */
    private final List<JobStore.NewJob> starts = new ArrayList<>();

    StandingServices(ServiceStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        store.list().forEach(s -> services.put(s.name(), s));
    }

    /**
     * A request's record is stored before memory changes: if SQLite refuses, the request is answered as refused
     * and nothing changed.
     *
     * @param neverFits why the known nodes could never hold a job of this spec, as sbatch is refused
     */
    ServiceResult create(ClientRequest.CreateService request,
            Function<JobSpec, Optional<JobSpecValidator.Problem>> neverFits, Function<String, Integer> unfinished) {
        List<JobSpecValidator.Problem> problems = ServiceValidator.validate(request.service());
        String name = request.service() == null ? null : request.service().name();
        if (!problems.isEmpty()) {
            return ServiceResult.invalid(name, problems);
        }
        ServiceRecord existing = services.get(name);
        if (existing != null) {
            if (existing.state().equals(ServiceRecord.DELETING)) {
                int stopping = unfinished.apply(name);
                return ServiceResult.refused(name, existing.state(), ServiceRefusal.CONFLICT, "service " + name
                        + " is being deleted and " + stopping + (stopping == 1 ? " of its instances is" : " of its"
                        + " instances are") + " still stopping; create it again once it is gone (cadre service"
                        + " delete " + name + " --wait waits for that)");
            }
            if (existing.spec().equals(request.service())) {
                // The same create again (redelivered after a crash before its acknowledgement, or retried by a
                // client that lost the answer) finds the service it made, and says it made nothing.
                return ServiceResult.alreadyThere(name, existing.state(), ServiceConflict.exists(existing));
            }
            return ServiceResult.refused(name, existing.state(), ServiceRefusal.CONFLICT,
                    ServiceConflict.exists(existing) + "; its spec differs from this one");
        }
        Optional<JobSpecValidator.Problem> never = neverFits.apply(request.service().instanceSpec());
        if (never.isPresent()) {
            return ServiceResult.invalid(name, List.of(ServiceValidator.asTemplateProblem(never.get())));
        }
        ServiceRecord s = ServiceRecord.created(request.service(), clock.instant());
        store.upsert(s);
        services.put(name, s);
        return ServiceResult.made(name, s.state());
    }

    ServiceResult update(ClientRequest.UpdateService request) {
        List<JobSpecValidator.Problem> problems = ServiceValidator.validate(request);
        if (!problems.isEmpty()) {
            return ServiceResult.invalid(request.name(), problems);
        }
        ServiceRecord s = services.get(request.name());
        if (s == null) {
            return notFound(request.name());
        }
        if (s.state().equals(ServiceRecord.DELETING)) {
            return ServiceResult.refused(s.name(), s.state(), ServiceRefusal.CONFLICT, "service " + s.name()
                    + " is being deleted");
        }
        ServiceRecord after = ServiceReconciler.updated(s, request.replicas(), request.maxConsecutiveFailures(),
                request.resets());
        if (!after.equals(s)) {
            store.upsert(after);
            services.put(s.name(), after);
        }
        return ServiceResult.done(s.name(), after.state());
    }

    /** A delete of a service already being deleted changes nothing and says so: a redelivery is harmless. */
    ServiceResult delete(ClientRequest.DeleteService request) {
        Optional<JobSpecValidator.Problem> badName = ServiceValidator.name(request.name());
        if (badName.isPresent()) {
            return ServiceResult.invalid(request.name(),
                    List.of(new JobSpecValidator.Problem("name", badName.get().message())));
        }
        ServiceRecord s = services.get(request.name());
        if (s == null) {
            return notFound(request.name());
        }
        if (!s.state().equals(ServiceRecord.DELETING)) {
            ServiceRecord deleting = s.withState(ServiceRecord.DELETING)
                    .withFailures(s.consecutiveFailures(), s.lastFailure(), null);
            store.upsert(deleting);
            services.put(s.name(), deleting);
        }
        return ServiceResult.done(s.name(), ServiceRecord.DELETING);
    }

    private static ServiceResult notFound(String name) {
        return ServiceResult.refused(name, null, ServiceRefusal.NOT_FOUND, "service " + name + " does not exist");
    }

    /**
     * Counts the ends of instances as they are decided, in memory, and returns every service changed since the
     * last call, for the caller to store in the transaction that stores those ends and the decisions of the
     * round that changed them: stored apart, a crash in between would lose a failure (and a service that keeps
     * failing would never reach its budget) or a round's cancels.
     *
     * @param nodes the core's nodes as they are now: those that lost instances keep their last heartbeat's time
     */
    List<ServiceRecord> toStore(List<JobRecord> endedInstances, Collection<NodeRecord> nodes) {
        if (!endedInstances.isEmpty()) {
            Instant now = clock.instant();
            NodeTimes times = NodeTimes.of(nodes);
            for (JobRecord ended : endedInstances) {
                ServiceRecord s = services.get(ended.spec().service());
                if (s != null) {
                    changed(s, ServiceReconciler.instanceEnded(s, ended, times, now));
                }
            }
        }
        if (unsaved.isEmpty()) {
            return List.of();
        }
        List<ServiceRecord> out = List.copyOf(unsaved.values());
        unsaved.clear();
        return out;
    }

    /**
     * One round: cancels through the core and changes services in memory, for the caller to store together (see
     * {@link #toStore}); the instances to create wait in {@link #takeStarts} until that is done.
     */
    Decisions reconcile(SchedulerCore core) {
        Instant now = clock.instant();
        List<ServiceReconciler.Plan> plans = new ArrayList<>();
        NodeTimes nodes = services.isEmpty() ? NodeTimes.NONE : NodeTimes.of(core.nodes());
        for (ServiceRecord s : services.values()) {
            List<JobRecord> instances = core.instancesOf(s.name());
            plans.add(ServiceReconciler.reconcile(s, instances, cannotStart(core, s, instances), nodes, now));
        }
        // The one write not in the decisions' transaction, done before anything changes in memory: if it fails,
        // the next round finds everything as it was.
        for (ServiceReconciler.Plan plan : plans) {
            if (plan.forget()) {
                store.delete(plan.service().name());
                services.remove(plan.service().name());
            }
        }
        Decisions d = new Decisions();
        for (ServiceReconciler.Plan plan : plans) {
            ServiceRecord before = services.get(plan.service().name());
            if (plan.forget() || before == null) {
                continue;
            }
            if (!plan.moved().isEmpty()) {
                // Not the service's lastError: a move is no failure, and must not hide the last real one.
                LOG.info("service {}: {}", before.name(), plan.moved());
            }
            plan.cancel().forEach(id -> d.addAll(core.cancel(id).decisions()));
            for (long i = before.launched(); i < plan.service().launched(); i++) {
                // The key makes a re-run of this round after a crash create nothing twice.
                starts.add(new JobStore.NewJob("svc:" + before.name() + ":" + before.created().toEpochMilli() + ":"
                        + i, before.spec().instanceSpec(), now, "None"));
            }
            changed(before, plan.service());
        }
        return d;
    }

    /** The instances the last round decided to create; their service records, launched counts included, are stored. */
    List<JobStore.NewJob> takeStarts() {
        List<JobStore.NewJob> out = List.copyOf(starts);
        starts.clear();
        return out;
    }

    /** Asked only when it matters, an instance waiting or to be created: it judges the spec against every node. */
    private static Optional<JobSpecValidator.Problem> cannotStart(SchedulerCore core, ServiceRecord s,
            List<JobRecord> instances) {
        boolean waiting = instances.size() < s.spec().replicas()
                || instances.stream().anyMatch(j -> j.state() == JobState.PENDING);
        if (!waiting || !s.state().equals(ServiceRecord.ACTIVE)) {
            return Optional.empty();
        }
        return core.neverFits(s.spec().instanceSpec()).map(ServiceValidator::asTemplateProblem);
    }

    private void changed(ServiceRecord before, ServiceRecord after) {
        if (!after.equals(before)) {
            services.put(after.name(), after);
            unsaved.put(after.name(), after);
        }
    }
}
