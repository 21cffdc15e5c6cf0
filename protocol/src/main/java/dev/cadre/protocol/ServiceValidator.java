package dev.cadre.protocol;

import java.util.ArrayList;
import java.util.List;

/** Checks a create-service request before anything is stored; the template is checked as any job spec. */
public final class ServiceValidator {
    private ServiceValidator() {
    }

    public static List<JobSpecValidator.Problem> validate(ServiceSpec s) {
        List<JobSpecValidator.Problem> problems = new ArrayList<>();
        if (s == null) {
            problems.add(new JobSpecValidator.Problem("service", "is required"));
            return problems;
        }
        if (s.name() == null || !ScheduleFieldsValidator.SERVICE.matcher(s.name()).matches()) {
            problems.add(new JobSpecValidator.Problem("service.name", "must be 1 to 63 letters, digits, '_', '.'"
                    + " or '-', starting with a letter or digit"));
        }
        if (s.replicas() < 0 || s.replicas() > ServiceSpec.MAX_REPLICAS) {
            problems.add(new JobSpecValidator.Problem("service.replicas", "is " + s.replicas()
                    + "; it must be between 0 and " + ServiceSpec.MAX_REPLICAS));
        }
        if (s.maxConsecutiveFailures() != null && (s.maxConsecutiveFailures() < 1
                || s.maxConsecutiveFailures() > 1000)) {
            problems.add(new JobSpecValidator.Problem("service.maxConsecutiveFailures", "is "
                    + s.maxConsecutiveFailures() + "; it must be between 1 and 1000"));
        }
        if (s.template() == null) {
            problems.add(new JobSpecValidator.Problem("service.template", "is required"));
        } else {
            for (JobSpecValidator.Problem p : JobSpecValidator.validate(s.template())) {
                problems.add(new JobSpecValidator.Problem(p.field().replaceFirst("^spec", "service.template"),
                        p.message()));
            }
            if (s.template().array() != null || s.template().dependency() != null) {
                problems.add(new JobSpecValidator.Problem("service.template", "must not be an array or have a"
                        + " dependency: every instance stands alone"));
            }
        }
        return problems;
    }
}
