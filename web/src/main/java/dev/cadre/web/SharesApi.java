package dev.cadre.web;

import dev.cadre.db.FairShareStore;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.FairShare;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * GET /api/shares: each user's fair-share usage and factor, as the head last charged them (every
 * --priority-calc-period), in the terms of Slurm's sshare: Cadre has one account, root, with every user who has run
 * or queued a job under it, one share each.
 */
final class SharesApi {
    /** The one account every user is under. */
    static final String ACCOUNT = "root";

    private final JobStore jobs;

    SharesApi(JobStore jobs) {
        this.jobs = jobs;
    }

    /**
     * @param weight the head's --priority-weight-fairshare when it last charged usage
     * @param halfLifeSeconds its --priority-decay-half-life then, 0 for no decay
     * @param chargedUntil when it last charged usage; null before it first did
     * @param rawUsage everyone's usage: the root account's
     */
    record Shares(String account, long weight, long halfLifeSeconds, Instant chargedUntil, double rawUsage,
            List<UserShare> users) {
    }

    /**
     * A user's line, as sshare names its fields.
     *
     * @param rawUsage its decayed CPU-seconds
     * @param fairShare its factor, 2^(-effectiveUsage / normShares)
     * @param points what the factor adds to its jobs' priorities at the weight
     */
    record UserShare(String user, int rawShares, double normShares, double rawUsage, double normUsage,
            double effectiveUsage, double fairShare, long points) {
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/api/shares", this::shares).taking("user"));
    }

    private Shares shares(Exchange x) throws ApiException {
        List<String> only = UsageReportApi.users(x.query("user"));
        FairShareStore.Charged charged = jobs.fairShare().read();
        FairShare shares = new FairShare(charged.weight(), charged.usage());
        List<UserShare> users = new ArrayList<>();
        for (String user : charged.usage().keySet().stream().sorted().toList()) {
            if (only.isEmpty() || only.contains(user)) {
                users.add(new UserShare(user, 1, shares.normShares(), charged.usage().get(user),
                        shares.normUsage(user), shares.normUsage(user), shares.factor(user), shares.points(user)));
            }
        }
        return new Shares(ACCOUNT, charged.weight(), charged.halfLife().toSeconds(), charged.chargedUntil(),
                shares.totalUsage(), users);
    }
}
