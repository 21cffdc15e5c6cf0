package dev.cadre.scheduler;

import dev.cadre.db.JobStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.ServiceRecord;
import dev.cadre.protocol.ServiceValidator;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.SchedulerCore;
import dev.cadre.scheduler.core.ServiceReconciler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The shell around {@link ServiceReconciler}: keeps the services in memory and in SQLite, creates instances
 * through the normal admission path, and cancels through the core. Called under the core's lock only.
 */
final class StandingServices {
    private final ServiceStore store;
    private final Clock clock;
    private final Map<String, ServiceRecord> services = new LinkedHashMap<>();

    StandingServices(ServiceStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        store.list().forEach(s -> services.put(s.name(), s));
    }

    ClientReply.ServiceResult create(ClientRequest.CreateService request) {
        List<JobSpecValidator.Problem> problems = ServiceValidator.validate(request.service());
        String name = request.service() == null ? null : request.service().name();
        if (!problems.isEmpty()) {
            return new ClientReply.ServiceResult(name, false, null, problems.stream().map(Object::toString)
                    .collect(Collectors.joining("; ")));
        }
        ServiceRecord existing = services.get(name);
        if (existing != null) {
            return new ClientReply.ServiceResult(name, false, existing.state(), "service " + name + " already exists"
                    + (existing.state().equals(ServiceRecord.DELETING) ? " and is being deleted; try again once it"
                    + " is gone" : "; delete it first"));
        }
        ServiceRecord s = new ServiceRecord(request.service(), ServiceRecord.ACTIVE, 0, null, null, 0,
                clock.instant());
        store.upsert(s);
        services.put(name, s);
        return new ClientReply.ServiceResult(name, true, s.state(), null);
    }

    ClientReply.ServiceResult delete(ClientRequest.DeleteService request) {
        ServiceRecord s = services.get(request.name());
        if (s == null) {
            return new ClientReply.ServiceResult(request.name(), false, null, "service " + request.name()
                    + " does not exist");
        }
        ServiceRecord deleting = s.with(ServiceRecord.DELETING, s.consecutiveFailures(), s.lastError(), null,
                s.launched());
        store.upsert(deleting);
        services.put(s.name(), deleting);
        return new ClientReply.ServiceResult(s.name(), true, deleting.state(), null);
    }

    /**
     * Counts the ends of instances as they are decided, in memory. The services returned, those whose count or
     * last error changed, are for the caller to store in the transaction that stores the ends: counted apart, a
     * crash between the two would lose the failure, and a service that keeps failing would never reach its
     * budget.
     */
    List<ServiceRecord> countEnded(List<JobRecord> endedInstances) {
        if (endedInstances.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        Map<String, ServiceRecord> changed = new LinkedHashMap<>();
        for (JobRecord ended : endedInstances) {
            ServiceRecord s = services.get(ended.spec().service());
            if (s != null) {
                ServiceRecord after = ServiceReconciler.instanceEnded(s, ended, now);
                if (!after.equals(s)) {
                    services.put(after.name(), after);
                    changed.put(after.name(), after);
                }
            }
        }
        return List.copyOf(changed.values());
    }

    /**
     * One round: places, cancels or forgets as the reconciler says.
     *
     * @param admit stores new instance jobs and adds them to the core, as submissions are
     */
    Decisions reconcile(SchedulerCore core, Consumer<List<JobStore.NewJob>> admit) {
        Instant now = clock.instant();
        Decisions d = new Decisions();
        List<JobStore.NewJob> created = new ArrayList<>();
        for (ServiceRecord s : List.copyOf(services.values())) {
            ServiceReconciler.Plan plan = ServiceReconciler.reconcile(s, core.instancesOf(s.name()), now);
            plan.cancel().forEach(id -> d.addAll(core.cancel(id).decisions()));
            for (long i = s.launched(); i < s.launched() + plan.start(); i++) {
                // The key makes a re-run of this round after a crash create nothing twice.
                created.add(new JobStore.NewJob("svc:" + s.name() + ":" + s.created().toEpochMilli() + ":" + i,
                        s.spec().instanceSpec(), now, "None"));
            }
            if (plan.forget()) {
                store.delete(s.name());
                services.remove(s.name());
            } else {
                save(s, plan.service());
            }
        }
        if (!created.isEmpty()) {
            admit.accept(created);
        }
        return d;
    }

    private void save(ServiceRecord before, ServiceRecord after) {
        if (!after.equals(before)) {
            store.upsert(after);
            services.put(after.name(), after);
        }
    }
}
