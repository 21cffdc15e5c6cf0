package dev.cadre.scheduler;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.PrintableText;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.PartitionRefusal;
import dev.cadre.protocol.PartitionRequest;
import dev.cadre.protocol.ReservationRefusal;
import dev.cadre.protocol.ReservationRequest;
import dev.cadre.protocol.ServiceRefusal;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.JobControl;
import dev.cadre.scheduler.core.Refusal;
import dev.cadre.scheduler.core.SchedulerCore;
import dev.cadre.scheduler.core.StartForecast;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * scancel, scontrol (jobs, draining and deleting nodes, and advance reservations) and cadre service requests, carried
 * out on the core, the services and the reservations under the core's lock; squeue --start's forecast is only
 * judged and taken there, and planned after, off the lock ({@link #forecast}, {@link #planned}).
 * A request the scheduler fails on is answered as refused ({@link RequestFailures}): one bad request must not stop
 * the scheduler. A control request carried out before is answered as it was then, and not carried out again
 * ({@link RepeatedRequests}).
 */
final class ControlRequests {
    private static final Logger LOG = LoggerFactory.getLogger(ControlRequests.class);
    private final SchedulerCore core;
    private final StandingServices services;
    private final RepeatedRequests repeats;
    private final ReservationBook reservations;
    private final PartitionBook partitions;

    ControlRequests(SchedulerCore core, StandingServices services, RepeatedRequests repeats,
            ReservationBook reservations, PartitionBook partitions) {
        this.core = core;
        this.services = services;
        this.repeats = repeats;
        this.reservations = reservations;
        this.partitions = partitions;
    }

    /**
     * @param decisions what to commit before the reply is sent
     * @param wake a service or reservation was created, updated or deleted: the next pass should run soon
     */
    record Done(Decisions decisions, ClientReply reply, boolean wake) {
    }

    /** @param stamp the broker's intake id of the request's message, or null */
    Done carryOut(ClientRequest request, String stamp) {
        RepeatedRequests.Identity id = RepeatedRequests.identify(request, stamp);
        try {
            if (id != null) {
                var earlier = repeats.earlier(id, request);
                if (earlier.isPresent()) {
                    return new Done(new Decisions(), earlier.get(), false);
                }
            }
            Done done = dispatch(request);
            if (id != null) {
                done.decisions().answered(new Decisions.Answer(id.key(), id.fingerprint(), done.reply()));
            }
            return done;
        } catch (RuntimeException e) {
            return new Done(new Decisions(), RequestFailures.refusal(request, e), false);
        }
    }

    private Done dispatch(ClientRequest request) {
        if (request instanceof ClientRequest.ForecastStarts) {
            // A plan under the lock would hold up every pass and event for as long as it takes.
            throw new IllegalArgumentException("forecast-starts is planned off the scheduler's lock, not carried out"
                    + " under it: SchedulerService.control and forecastLater take it");
        }
        JobControl c = core.control();
        JobControl.Outcome<?> o;
        if (request instanceof ControlRequest.CancelJob r) {
            o = c.cancel(r);
        } else if (request instanceof ControlRequest.HoldJob r) {
            o = c.hold(r);
        } else if (request instanceof ControlRequest.ReleaseJob r) {
            o = c.release(r);
        } else if (request instanceof ControlRequest.RequeueJob r) {
            o = c.requeue(r);
        } else if (request instanceof ControlRequest.SignalJob r) {
            o = c.signal(r);
        } else if (request instanceof ControlRequest.SuspendJob r) {
            o = c.suspend(r);
        } else if (request instanceof ControlRequest.ResumeJob r) {
            o = c.resume(r);
        } else if (request instanceof ControlRequest.TopJobs r) {
            o = c.top(r);
        } else if (request instanceof ClientRequest.CreateService r) {
            return new Done(new Decisions(), services.create(r, core::neverFits, name -> core.instancesOf(name).size()), true);
        } else if (request instanceof ClientRequest.UpdateService r) {
            return new Done(new Decisions(), services.update(r), true);
        } else if (request instanceof ClientRequest.DeleteService r) {
            return new Done(new Decisions(), services.delete(r), true);
        } else if (request instanceof ReservationRequest r) {
            Decisions held = new Decisions();
            return new Done(held, reservations.carryOut(r, held), true);
        } else if (request instanceof PartitionRequest r) {
            return new Done(new Decisions(), partitions.carryOut(r), true);
        } else if (request instanceof ControlRequest.DrainNode r) {
            o = core.nodeControl().drain(r);
        } else if (request instanceof ControlRequest.ResumeNode r) {
            o = core.nodeControl().resume(r);
        } else if (request instanceof ControlRequest.DeleteNode r) {
            o = core.nodeControl().delete(r);
            if (o.result() instanceof ClientReply.NodeResult n && n.ok()) {
                LOG.info("deleted node {} ({}) at the request of {}", r.node(), n.nodeId(), r.user());
            }
        } else {
            o = c.update((ControlRequest.UpdateJob) request);
        }
        return new Done(o.decisions(), o.result(), false);
    }

    private static ClientReply.ExpectedStart expected(StartForecast.Start s) {
        return new ClientReply.ExpectedStart(s.jobId(), s.at(), s.hosts(), s.cpus());
    }

    /**
     * A forecast-starts judged under the core's lock: the answer, when it has one already (a trial whose submission
     * would be refused, or a failure), else the forecast to plan off the lock ({@link #planned}) and the trial's spec,
     * or null for the pending jobs' starts.
     */
    record ForecastToPlan(ClientReply answer, StartForecast forecast, JobSpec trial) {
    }

    /** Under the core's lock: cheap, whatever the queue holds ({@link SchedulerCore#startForecast}). */
    ForecastToPlan forecast(ClientRequest.ForecastStarts request) {
        try {
            ClientReply refused = request.spec() == null ? null : trialRefusal(request.spec());
            return refused != null ? new ForecastToPlan(refused, null, null)
                    : new ForecastToPlan(null, core.startForecast(), request.spec());
        } catch (RuntimeException e) {
            return new ForecastToPlan(RequestFailures.refusal(request, e), null, null);
        }
    }

    /**
     * The answer to a forecast to plan, planned on the caller's thread, off the core's lock: the expected starts, or
     * the trial's start alone, or why it has none.
     */
    static ClientReply planned(StartForecast forecast, JobSpec trial) {
        if (trial == null) {
            return new ClientReply.StartForecast(forecast.starts().stream().map(ControlRequests::expected).toList(),
                    null);
        }
        StartForecast.Trial t = forecast.trial(trial);
        return t.start() == null ? new ClientReply.StartForecast(List.of(), null, t.reason())
                : new ClientReply.StartForecast(List.of(expected(t.start())), null);
    }

    /** A job to plan, not store: refused as its submission would be, or null when it may be planned. */
    private ClientReply trialRefusal(JobSpec spec) {
        List<JobSpecValidator.Problem> problems = JobSpecValidator.validate(new ClientRequest.SubmitJob(null, spec));
        if (!problems.isEmpty()) {
            return new ClientReply.JobRejected(null, RejectionCode.INVALID_FIELD, problems.stream()
                    .map(Object::toString).collect(Collectors.joining("; ")), problems.get(0).field());
        }
        Optional<Refusal> refused = core.refusal(spec);
        return refused.map(r -> new ClientReply.JobRejected(null, r.code(), r.problem().toString(),
                r.problem().field())).orElse(null);
    }

    /** The answer a request gets when nothing was done, in the reply type it expects. */
    static ClientReply refusal(ClientRequest request, String why) {
        if (request instanceof ControlRequest.CancelJob r) {
            return new ClientReply.CancelResult(r.jobId(), false, null, why);
        }
        if (request instanceof ClientRequest.ForecastStarts) {
            return new ClientReply.StartForecast(List.of(), why);
        }
        if (request instanceof ControlRequest.TopJobs) {
            return ClientReply.TopResult.refused(null, null, null, why);
        }
        if (request instanceof ClientRequest.ExecGrant r) {
            return ClientReply.ExecGrantResult.refused(r.jobId(), why);
        }
        if (request instanceof ClientRequest.CreateService r) {
            return ClientReply.ServiceResult.refused(r.service() == null ? null : echoed(r.service().name()), null,
                    ServiceRefusal.INTERNAL, why);
        }
        if (request instanceof ClientRequest.UpdateService r) {
            return ClientReply.ServiceResult.refused(echoed(r.name()), null, ServiceRefusal.INTERNAL, why);
        }
        if (request instanceof ClientRequest.DeleteService r) {
            return ClientReply.ServiceResult.refused(echoed(r.name()), null, ServiceRefusal.INTERNAL, why);
        }
        if (request instanceof ReservationRequest r) {
            return ClientReply.ReservationResult.refused(echoed(r.name()), ReservationRefusal.INTERNAL, why);
        }
        if (request instanceof PartitionRequest r) {
            return ClientReply.PartitionResult.refused(echoed(r.name()), PartitionRefusal.INTERNAL, why);
        }
        if (request instanceof ControlRequest.DrainNode r) {
            return new ClientReply.NodeResult(echoed(r.node()), false, null, null, why, false);
        }
        if (request instanceof ControlRequest.ResumeNode r) {
            return new ClientReply.NodeResult(echoed(r.node()), false, null, null, why, false);
        }
        if (request instanceof ControlRequest.DeleteNode r) {
            return new ClientReply.NodeResult(echoed(r.node()), false, null, null, why, false);
        }
        long jobId = request instanceof ControlRequest.HoldJob r ? r.jobId()
                : request instanceof ControlRequest.ReleaseJob r ? r.jobId()
                : request instanceof ControlRequest.RequeueJob r ? r.jobId()
                : request instanceof ControlRequest.SignalJob r ? r.jobId()
                : request instanceof ControlRequest.SuspendJob r ? r.jobId()
                : request instanceof ControlRequest.ResumeJob r ? r.jobId()
                : ((ControlRequest.UpdateJob) request).jobId();
        return new ClientReply.ControlResult(jobId, false, null, why);
    }

    /** A name from the request as a refusal repeats it: masked, as the client prints it to a terminal. */
    private static String echoed(String name) {
        return name == null ? null : PrintableText.masked(name);
    }
}
