package dev.cadre.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks a service request before anything is stored; the template is checked as any job spec. */
public final class ServiceValidator {
    private ServiceValidator() {
    }

    public static List<JobSpecValidator.Problem> validate(ServiceSpec s) {
        List<JobSpecValidator.Problem> problems = new ArrayList<>();
        if (s == null) {
            problems.add(new JobSpecValidator.Problem("service", "is required"));
            return problems;
        }
        name(s.name()).ifPresent(problems::add);
        if (s.replicas() == null) {
            problems.add(new JobSpecValidator.Problem("service.replicas", "is required"));
        } else {
            replicas(s.replicas(), "service.replicas").ifPresent(problems::add);
        }
        budget(s.maxConsecutiveFailures(), "service.maxConsecutiveFailures").ifPresent(problems::add);
        if (s.template() == null) {
            problems.add(new JobSpecValidator.Problem("service.template", "is required"));
        } else {
            for (JobSpecValidator.Problem p : JobSpecValidator.validate(s.template())) {
                problems.add(asTemplateProblem(p));
            }
            if (s.template().array() != null || s.template().dependency() != null) {
                problems.add(new JobSpecValidator.Problem("service.template", "must not be an array or have a"
                        + " dependency: every instance stands alone"));
            }
        }
        return problems;
    }

    /** An update-service: a valid name and at least one valid value to change. */
    public static List<JobSpecValidator.Problem> validate(ClientRequest.UpdateService u) {
        List<JobSpecValidator.Problem> problems = new ArrayList<>();
        name(u.name()).map(p -> new JobSpecValidator.Problem("name", p.message())).ifPresent(problems::add);
        if (u.replicas() == null && u.maxConsecutiveFailures() == null && !u.resets()) {
            problems.add(new JobSpecValidator.Problem("replicas", "give replicas, maxConsecutiveFailures, reset or"
                    + " several of them"));
        }
        if (u.replicas() != null) {
            replicas(u.replicas(), "replicas").ifPresent(problems::add);
        }
        budget(u.maxConsecutiveFailures(), "maxConsecutiveFailures").ifPresent(problems::add);
        return problems;
    }

    /** A service name's problem, as create-service reports it (field service.name), or empty when it is valid. */
    public static Optional<JobSpecValidator.Problem> name(String name) {
        if (name == null || !ScheduleFieldsValidator.SERVICE.matcher(name).matches()) {
            return Optional.of(new JobSpecValidator.Problem("service.name", (name == null ? "is required"
                    : "is '" + JobSpecValidator.printable(name) + "'") + "; it must be 1 to 63 letters, digits, '_',"
                    + " '.' or '-', starting with a letter or digit"));
        }
        return Optional.empty();
    }

    /** A problem of the template's job spec (spec.x), named as a field of the service (service.template.x). */
    public static JobSpecValidator.Problem asTemplateProblem(JobSpecValidator.Problem p) {
        return new JobSpecValidator.Problem(p.field().replaceFirst("^spec", "service.template"), p.message());
    }

    private static Optional<JobSpecValidator.Problem> replicas(int replicas, String field) {
        return replicas < 0 || replicas > ServiceSpec.MAX_REPLICAS
                ? Optional.of(new JobSpecValidator.Problem(field, "is " + replicas + "; it must be between 0 and "
                        + ServiceSpec.MAX_REPLICAS))
                : Optional.empty();
    }

    private static Optional<JobSpecValidator.Problem> budget(Integer budget, String field) {
        return budget != null && (budget < 1 || budget > ServiceSpec.MAX_FAILURE_BUDGET)
                ? Optional.of(new JobSpecValidator.Problem(field, "is " + budget + "; it must be between 1 and "
                        + ServiceSpec.MAX_FAILURE_BUDGET))
                : Optional.empty();
    }
}
