package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.FairShare;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fair-share figures GET /api/shares gives (every user's, whatever sshare shows): the head's weight and each
 * user's decayed usage, from which the factors are worked out by the rule the scheduler follows ({@link FairShare}).
 *
 * @param account the one account every user is under
 * @param users the users, by name
 */
public record ShareReport(String account, FairShare shares, List<String> users) {
    /** What a head gives that says nothing of fair share: no weight, no usage. */
    public static final ShareReport NONE = new ShareReport("root", FairShare.NONE, List.of());

    public static ShareReport of(Json answer) {
        Map<String, Double> usage = new HashMap<>();
        List<String> users = new ArrayList<>();
        for (Json u : answer.path("users")) {
            String user = u.path("user").asText("");
            usage.put(user, u.path("rawUsage").asDouble(0));
            users.add(user);
        }
        return new ShareReport(answer.path("account").asText("root"),
                new FairShare(Math.max(0, answer.path("weight").asLong(0)), usage), List.copyOf(users));
    }

    public long weight() {
        return shares.weight();
    }
}
