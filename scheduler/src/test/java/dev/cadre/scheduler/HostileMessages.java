package dev.cadre.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.MessageCodec;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hostile variants of every message the head takes (docs/protocol.md 3.1 and 3.5: the client requests on cadre.submit,
 * the node-runners' events on cadre.runner.events), made from each type's example in docs/protocol/examples: each
 * REQUIRED field removed or null, each field of every other JSON type, integers negative, past 64 bits and fractional,
 * strings empty, of 100 kB, with a control or a bidi character, paths that climb or name /proc, ids of no job or node,
 * an unknown or missing type and a body over the limit; one level into nested objects, and an array's first object.
 */
final class HostileMessages {
    static final Path EXAMPLES = Path.of("..", "docs", "protocol", "examples");

    /** The client requests of protocol.md 5 (section 12's table: to cadre.submit) and their REQUIRED fields. */
    static final Map<String, Set<String>> CLIENT = Map.ofEntries(
            Map.entry("submit-job", Set.of("spec", "spec.user", "spec.script", "spec.workDir")),
            Map.entry("submit-jobs", Set.of("jobs", "jobs[0].spec")),
            Map.entry("cancel-job", Set.of("jobId")),
            Map.entry("hold-job", Set.of("jobId", "admin")), Map.entry("release-job", Set.of("jobId", "admin")),
            Map.entry("requeue-job", Set.of("jobId", "hold")), Map.entry("update-job", Set.of("jobId")),
            Map.entry("signal-job", Set.of("jobId", "signal", "batchOnly")),
            Map.entry("suspend-job", Set.of("jobId")), Map.entry("resume-job", Set.of("jobId")),
            Map.entry("create-service", Set.of("service", "service.name", "service.replicas", "service.template")),
            Map.entry("update-service", Set.of("name")), Map.entry("delete-service", Set.of("name")),
            Map.entry("drain-node", Set.of("node", "reason")), Map.entry("resume-node", Set.of("node")),
            Map.entry("delete-node", Set.of("node")), Map.entry("forecast-starts", Set.of()),
            Map.entry("exec-grant", Set.of("jobId", "user")),
            Map.entry("top-jobs", Set.of("jobs", "user", "operator", "jobs[0].jobId")),
            Map.entry("create-reservation", Set.of("name", "startTime", "nodes", "users", "operator")),
            Map.entry("update-reservation", Set.of("name", "operator")),
            Map.entry("delete-reservation", Set.of("name", "operator")),
            Map.entry("create-partition", Set.of("name", "nodes", "operator")),
            Map.entry("update-partition", Set.of("name", "operator")),
            Map.entry("delete-partition", Set.of("name", "operator")));

    /** The node-runners' events of protocol.md 10 (to cadre.runner.events) and their REQUIRED fields. */
    static final Map<String, Set<String>> NODE = Map.ofEntries(
            Map.entry("runner-running", Set.of("jobId", "attempt", "nodeId", "time")),
            Map.entry("runner-finished", Set.of("jobId", "attempt", "nodeId", "exitCode", "signal", "time")),
            Map.entry("runner-failed", Set.of("jobId", "attempt", "nodeId", "error", "time")),
            Map.entry("runner-released", Set.of("jobId", "attempt", "nodeId", "time")),
            Map.entry("node-heartbeat", Set.of("nodeId", "hostname", "cores", "memoryMb", "gpus", "time",
                    "running[0].jobId", "running[0].attempt", "cpus[0].jobId", "cpus[0].attempt", "cpus[0].cpus")),
            Map.entry("runner-events", Set.of("nodeId", "events", "time", "events[0].jobId", "events[0].nodeId",
                    "events[0].time")));

    /** What the head only sends, or what goes from node to node or client: no variant of these reaches the head. */
    static final Map<String, String> NOT_FOR_THE_HEAD = Map.ofEntries(
            head("job-accepted"), head("job-rejected"), head("jobs-submitted"), head("cancel-result"),
            head("control-result"), head("service-result"), head("node-result"), head("start-forecast"),
            head("exec-grant-result"), head("top-result"), head("reservation-result"), head("partition-result"),
            head("job-state-changed"), head("node-state-changed"),
            head("node-deleted"), head("job-updated"), head("array-part-joined"), head("place-job"),
            head("place-jobs"), head("kill-job"), head("signal-attempt"), head("set-time-limit"),
            head("suspend-attempt"), head("resume-attempt"), head("query-attempt"), head("read-output"),
            head("read-usage"),
            node("exec-request"), node("exec-keepalive"), node("exec-input"), node("exec-resize"),
            Map.entry("exec-started", "a node's answer to an exec-request, on the requester's reply queue"),
            Map.entry("exec-output", "a node's answer to an exec-request, on the requester's reply queue"),
            Map.entry("exec-exit", "a node's answer, or a relay's release, on a reply or exec queue"),
            Map.entry("exec-input-ack", "a node's answer to exec-input, on the run's reply queue"),
            Map.entry("output-chunk", "a node's answer to read-output, on the head's reply queue"),
            Map.entry("usage-reading", "a node's answer to read-usage, on the head's reply queue"));

    /** Hostile-looking input the head takes by design, as documented: the start of the case, and why. */
    static final Map<String, String> TAKEN = Map.ofEntries(
            Map.entry("submit-jobs? with (jobs\\[0]\\.)?submissionId \"\"", "an empty submissionId is none: the"
                    + " broker's stamp keys the job (SubmissionIntake.submissionKey)"),
            Map.entry("(submit-job with spec\\.(name|submitHost)|update-job with name) \"\"", "optional text: empty"
                    + " is none"),
            Map.entry("(submit-job with spec\\.nice|update-job with nice) -1", "nice is -10 000 to 10 000 (5.3)"),
            Map.entry("update-job with priority -1", "-1 computes the priority again (5.5)"),
            Map.entry("update-job with timeLimitChangeSeconds -1", "TimeLimit-= shortens the limit (5.5)"),
            Map.entry("update-job with dependency \"\"", "an empty dependency removes it (5.5)"),
            Map.entry("(create|update)-partition with (maxTimeMinutes|defaultTimeMinutes) -1", "-1 is no limit,"
                    + " Slurm's UNLIMITED and NONE (5.12)"),
            Map.entry("update-job with mailUser \"\"", "an empty mailUser gives the mail back to the job's user (5.5)"),
            Map.entry("update-job with reservation \"\"", "an empty reservation takes the job out of its own (5.5)"),
            Map.entry("node-heartbeat with (the example itself|running\\[0]\\.jobId of no job)", "an attempt a node"
                    + " runs that the head does not know is killed, its slots held until the node stops listing it"
                    + " (architecture.md, protocol.md 10.6)"),
            Map.entry("node-heartbeat with cpus\\[0]\\.jobId of no job", "the CPUs of an attempt that is no job's"
                    + " current one are ignored (protocol.md 10.4); the example's running attempt is killed, as for the"
                    + " example itself"));
    /**
     * Cases whose own problem the example's refusal in this head hides, and why: refused all the same, changing
     * nothing.
     */
    static final Map<String, String> HIDDEN = Map.of("top-jobs with jobs\\[0]\\.jobId of no job", "the"
            + " example's user is no operator, and the head runs without --enable-user-top");
    /** Fields that name a file on a node: the hostile paths go there too. */
    private static final Set<String> PATHS = Set.of("workDir", "stdout", "stderr", "stdin");
    /** Fields whose example value is null, and the type protocol.md gives them. */
    private static final Map<String, String> NULL_TYPES = Map.of("killedFor", "string", "error", "string");
    private static final String BIG = "a".repeat(100_000);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private HostileMessages() {
    }

    private static Map.Entry<String, String> head(String type) {
        return Map.entry(type, "sent by the head (protocol.md 12), never taken by it");
    }

    private static Map.Entry<String, String> node(String type) {
        return Map.entry(type, "sent to a node's exec queue (protocol.md 3.7), which the head does not consume");
    }

    /**
     * One hostile message.
     *
     * @param strict the codec must refuse it (a wrong JSON type, a missing required field, a number no 64 bits hold):
     *        job-rejected whatever the head holds
     * @param names what the refusal must name, as a word: the field, or the value sent, alternatives split by '|'
     */
    record Case(String type, String what, String body, boolean strict, String names) {
        @Override
        public String toString() {
            return type + " with " + what;
        }
    }

    /**
     * The type's example, its times moved as a whole to start a day from now: a deadline of the example's day has
     * passed, and its refusal would hide every other.
     */
    static ObjectNode example(String type) throws IOException {
        String text = Files.readString(EXAMPLES.resolve(type + ".json"));
        Duration shift = Duration.between(Instant.parse("2026-11-21T00:00:00Z"), Instant.now().plus(Duration.ofDays(1)));
        Matcher time = Pattern.compile("\"(\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z)\"").matcher(text);
        return (ObjectNode) MessageCodec.mapper().readTree(time.replaceAll(m -> "\"" + Instant.parse(m.group(1))
                .plus(shift) + "\""));
    }

    static List<Case> of(String type, Set<String> required) throws IOException {
        ObjectNode example = example(type);
        List<Case> cases = new ArrayList<>();
        vary(type, example, example, "", required, cases);
        ObjectNode unknown = example.deepCopy().put("type", "launch-missiles");
        cases.add(new Case(type, "type launch-missiles", unknown.toString(), true, "launch-missiles"));
        ObjectNode untyped = example.deepCopy();
        untyped.remove("type");
        cases.add(new Case(type, "no type", untyped.toString(), true, "type"));
        ObjectNode huge = example.deepCopy().put("padding", "x".repeat(3 << 19));
        cases.add(new Case(type, "a body of 1.5 MiB", huge.toString(), true, "limit"));
        return cases;
    }

    private static void vary(String type, ObjectNode root, ObjectNode at, String prefix, Set<String> required,
            List<Case> cases) {
        List<String> names = new ArrayList<>();
        at.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            String path = prefix + name;
            JsonNode value = at.get(name);
            if (prefix.isEmpty() && (name.equals("version") || name.equals("type"))) {
                continue;
            }
            if (required.contains(path)) {
                // Only a required integer or boolean is the codec's to refuse (protocol.md 4.4); the receiver
                // checks the rest, and what a nested object holds (a service's replicas).
                boolean codec = prefix.isEmpty() && (value.isIntegralNumber() || value.isBoolean());
                cases.add(change(type, root, at, name, null, "no " + path, codec, name));
                cases.add(change(type, root, at, name, JSON.nullNode(), path + " null", codec, name));
            }
            String kind = value.isNull() ? NULL_TYPES.getOrDefault(name, "integer") : value.isTextual() ? "string"
                    : value.isIntegralNumber() ? "integer" : value.isBoolean() ? "boolean" : value.isArray() ? "array"
                    : "object";
            for (var wrong : List.of(Map.entry("string", JSON.textNode("7")), Map.entry("integer", JSON.numberNode(7)),
                    Map.entry("boolean", JSON.booleanNode(true)), Map.entry("array", JSON.arrayNode()),
                    Map.entry("object", JSON.objectNode()))) {
                if (!wrong.getKey().equals(kind)) {
                    cases.add(change(type, root, at, name, wrong.getValue(), path + " " + wrong.getValue(), true, name));
                }
            }
            if (kind.equals("integer")) {
                cases.add(change(type, root, at, name, JSON.numberNode(new BigInteger("9223372036854775808")),
                        path + " 2^63", true, name));
                cases.add(change(type, root, at, name, JSON.numberNode(1.5), path + " 1.5", true, name));
                cases.add(change(type, root, at, name, JSON.numberNode(-1), path + " -1", false, name + "|-1"));
                if (name.equals("jobId")) {
                    cases.add(change(type, root, at, name, JSON.numberNode(999_999), path + " of no job", false,
                            "999999"));
                }
            }
            if (kind.equals("string") && !name.equals("requestId")) {
                List<String> hostile = new ArrayList<>(List.of("", BIG, "a\u0007b", "a\u202eb"));
                if (PATHS.contains(name)) {
                    hostile.addAll(List.of("../../etc/passwd", "/proc/self/mem"));
                }
                for (String s : hostile) {
                    cases.add(change(type, root, at, name, JSON.textNode(s), path + " " + shown(s), false, name));
                }
                if (name.equals("nodeId") || name.equals("node")) {
                    cases.add(change(type, root, at, name, JSON.textNode("nosuch-0badf00d"), path + " of no node",
                            false, "nosuch-0badf00d"));
                }
            }
            if (value.isObject() && prefix.isEmpty()) {
                vary(type, root, (ObjectNode) value, path + ".", required, cases);
            }
            if (value.isArray() && value.size() > 0 && value.get(0).isObject() && prefix.isEmpty()) {
                vary(type, root, (ObjectNode) value.get(0), path + "[0].", required, cases);
            }
        }
    }

    /** The example with one field changed (removed when to is null), a fresh requestId where it had one. */
    private static Case change(String type, ObjectNode root, ObjectNode at, String name, JsonNode to, String what,
            boolean strict, String names) {
        JsonNode was = at.get(name);
        if (to == null) {
            at.remove(name);
        } else {
            at.set(name, to);
        }
        ObjectNode copy = root.deepCopy();
        // A repeated requestId or submissionId is answered as the first was (protocol.md 7), whatever this one holds.
        for (JsonNode o : copy.has("jobs") ? List.of(copy, copy.get("jobs").path(0)) : List.of(copy)) {
            for (String id : List.of("requestId", "submissionId")) {
                if (o.hasNonNull(id) && !what.contains(id)) {
                    ((ObjectNode) o).put(id, UUID.randomUUID().toString());
                }
            }
        }
        at.set(name, was); // (a removed field comes back last: the order of fields is no part of a message)
        return new Case(type, what, copy.toString(), strict, names);
    }

    private static String shown(String s) {
        return s.isEmpty() ? "\"\"" : s.length() > 40 ? s.length() + " characters" : MessageCodec.encodeValue(s)
                .replace("\u202e", "\\u202e");
    }

    /** Why the head takes the case by design, or null. */
    static String taken(HostileMessages.Case c) {
        return TAKEN.entrySet().stream().filter(e -> Pattern.compile(e.getKey()).matcher(c.toString()).lookingAt())
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** The refusal's reason and field, or null when the reply takes the request. */
    static String refusal(ClientReply reply) {
        if (reply instanceof ClientReply.JobRejected r) {
            return r.reason() + " [" + r.field() + "]";
        }
        if (reply instanceof ClientReply.JobsSubmitted s) {
            List<String> each = s.results().stream().map(HostileMessages::refusal).toList();
            return each.contains(null) ? null : String.join("; ", each);
        }
        if (reply instanceof ClientReply.CancelResult r) {
            return r.ok() ? null : r.reason();
        }
        if (reply instanceof ClientReply.ControlResult r) {
            return r.ok() ? null : r.reason();
        }
        if (reply instanceof ClientReply.NodeResult r) {
            return r.ok() ? null : r.reason();
        }
        if (reply instanceof ClientReply.ServiceResult r) {
            return r.ok() ? null : r.reason() + " [" + r.field() + "]";
        }
        if (reply instanceof ClientReply.TopResult r) {
            return r.ok() ? null : r.reason();
        }
        if (reply instanceof ClientReply.ReservationResult r) {
            return r.ok() ? null : r.reason() + " [" + r.field() + "]";
        }
        if (reply instanceof ClientReply.PartitionResult r) {
            return r.ok() ? null : r.reason() + " [" + r.field() + "]";
        }
        if (reply instanceof ClientReply.ExecGrantResult r) {
            return r.ok() ? null : r.reason();
        }
        if (reply instanceof ClientReply.StartForecast r) {
            return r.reason();
        }
        return null;
    }
}
