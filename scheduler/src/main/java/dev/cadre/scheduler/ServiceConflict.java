package dev.cadre.scheduler;

import dev.cadre.protocol.ServiceRecord;

/**
 * What a create-service of a name already taken is told: the service's state, and the commands that do what a
 * second create cannot (restart a FAILED service, change its size, start over).
 */
final class ServiceConflict {
    private ServiceConflict() {
    }

    static String exists(ServiceRecord s) {
        String name = s.name();
        StringBuilder b = new StringBuilder("service ").append(name).append(" already exists (").append(s.state());
        if (s.consecutiveFailures() > 0 || s.nodeFailures() > 0) {
            b.append(", ").append(s.consecutiveFailures()).append('/').append(s.spec().failureBudget())
                    .append(" failures in a row");
        }
        b.append(")");
        if (s.state().equals(ServiceRecord.FAILED)) {
            b.append(": a create does not restart it; cadre service update ").append(name)
                    .append(" --reset does, after a fix outside Cadre, or cadre service delete ").append(name)
                    .append(" --wait, then create it again with the changed command or resources");
        } else {
            b.append(": cadre service update ").append(name).append(" --replicas N changes its size; to change"
                    + " its command or resources, cadre service delete ").append(name)
                    .append(" --wait, then create it again");
        }
        return b.toString();
    }
}
