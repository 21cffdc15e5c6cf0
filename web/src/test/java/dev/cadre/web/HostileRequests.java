package dev.cadre.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.web.ValidRequests.Valid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hostile requests {@link RouteBadInputTest} sends, derived from the OpenAPI document: for each operation, every
 * query parameter with values of the wrong type or size, every path parameter as an unknown id or a hostile path,
 * every body (with the fields its schema names, one level into nested objects) malformed, of the wrong type, too
 * large or of another Content-Type, and no token or a wrong one. What valid input looks like, which the document
 * cannot say (an id that exists, a body that passes), is {@link ValidRequests}: an operation missing there fails the
 * test.
 */
final class HostileRequests {
    /**
     * One request and what it must be answered with.
     *
     * @param statuses the 4xx statuses it may be answered with
     * @param names what the problem's field or detail must contain (case-insensitive), "" for anything
     * @param schedulerDecides an unknown node or service, which only the scheduler can tell: the request may reach it
     */
    record Case(String operation, String what, String method, String target, List<String> lines, byte[] body,
            Set<Integer> statuses, String names, boolean schedulerDecides) {
        @Override
        public String toString() {
            return operation + " with " + what;
        }
    }

    /**
     * Operations that refuse a body field they do not take though their schema does not say additionalProperties
     * false: the job actions, whose one schema lists every action's fields ("A field the action does not take is
     * refused"). Elsewhere an unknown field is tried only where the schema refuses it: submissions and service specs
     * are protocol messages, whose unknown fields are ignored (StrictJsonMapper).
     */
    private static final Set<String> REFUSING_UNKNOWN_FIELDS = Set.of("POST /api/jobs/{id}/{action}");
    /** Long, but within what Jetty takes in a request line (8 KiB), so that the API itself must refuse it. */
    private static final String LONG = "a".repeat(6_000);
    private static final String TWO_TO_63 = "9223372036854775808";

    private final JsonNode document;
    private final String token;

    HostileRequests(JsonNode document, String token) {
        this.document = document;
        this.token = token;
    }

    /** Every operation of the document, as "METHOD /path". */
    List<String> operations() {
        List<String> out = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(
                m -> out.add(m.toUpperCase(java.util.Locale.ROOT) + " " + p.getKey())));
        return out;
    }

    /** The hostile requests of one operation, which must be in {@link ValidRequests#BY_OPERATION}. */
    List<Case> of(String operation) {
        String method = operation.substring(0, operation.indexOf(' '));
        String template = operation.substring(method.length() + 1);
        JsonNode op = document.path("paths").path(template).path(method.toLowerCase(java.util.Locale.ROOT));
        Valid valid = ValidRequests.BY_OPERATION.get(operation);
        boolean open = op.has("security") && op.get("security").isEmpty();
        List<Case> out = new ArrayList<>();
        for (String target : targets(template, valid)) {
            Cases c = new Cases(operation, method, ValidRequests.bodyOf(target, valid), open ? List.of()
                    : List.of("Authorization: Bearer " + token), out);
            if (!open) {
                c.add("no token", target, List.of(), valid.body(), Set.of(401), "token");
                c.add("a wrong token", target, List.of("Authorization: Bearer wrong"), valid.body(), Set.of(403),
                        "token");
            }
            for (JsonNode p : op.path("parameters")) {
                p = resolve(p);
                if (p.path("in").asText().equals("query")) {
                    queryCases(c, target, valid.query(), p.path("name").asText(), p.path("schema"));
                } else if (p.path("in").asText().equals("header") && p.path("schema").has("pattern")) {
                    String h = p.path("name").asText();
                    c.add(h + " malformed", target, append(c.auth, h + ": not a key!"), c.body, Set.of(400), h);
                    c.add(h + " twice", target, append(append(c.auth, h + ": a"), h + ": b"), c.body, Set.of(400), h);
                }
            }
            if (op.has("requestBody")) {
                bodyCases(c, target, REFUSING_UNKNOWN_FIELDS.contains(operation), resolve(op.path("requestBody")
                        .path("content").path("application/json").path("schema")));
            }
        }
        pathCases(new Cases(operation, method, valid.body(), open ? List.of() : List.of("Authorization: Bearer "
                + token), out), template, valid);
        return out;
    }

    private static List<String> targets(String template, Valid valid) {
        List<String> out = new ArrayList<>();
        List<String> actions = valid.path().getOrDefault("action", List.of(""));
        for (String action : actions) {
            out.add(fill(template, valid, "action", action));
        }
        return out;
    }

    private static String fill(String template, Valid valid, String name, String value) {
        String t = template;
        for (var e : valid.path().entrySet()) {
            t = t.replace("{" + e.getKey() + "}", e.getKey().equals(name) ? value : e.getValue().get(0));
        }
        return t;
    }

    /** The values of the wrong type or size for a query parameter of this schema. */
    private static void queryCases(Cases c, String path, String query, String name, JsonNode schema) {
        // The operation's required parameters stay valid but for the one tried.
        StringBuilder others = new StringBuilder();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty() && !pair.startsWith(name + "=")) {
                others.append(pair).append('&');
            }
        }
        String target = path + "?" + others;
        String type = schema.path("type").asText();
        List<String> values = new ArrayList<>(List.of(LONG, "a%01b", "%E2%80%AE"));
        if (type.equals("integer") || type.equals("boolean") || schema.has("enum") || schema.has("format")) {
            values.addAll(List.of("abc", "-1", TWO_TO_63, "1.5", "1e3"));
        }
        for (String v : values) {
            c.add(name + "=" + v, target + name + "=" + v, c.auth, c.body, Set.of(400), name);
        }
        c.add(name + " given twice", target + name + "=1&" + name + "=2", c.auth, c.body, Set.of(400), name);
    }

    /** Bodies that are no JSON, the wrong JSON, too large, or not JSON by their Content-Type. */
    private void bodyCases(Cases c, String target, boolean refusesUnknown, JsonNode schema) {
        for (String wrong : List.of("{", "[]", "42", "null", "\"text\"", "{\"a\": 1} {\"b\": 2}")) {
            c.add("the body " + wrong, target, c.auth, wrong, Set.of(400), "");
        }
        c.add("a body over 1 MiB", target, c.auth, "{\"name\": \"" + "a".repeat(MessageCodec.MAX_BYTES) + "\"}",
                Set.of(413), "larger than");
        List<String> plain = new ArrayList<>(c.auth);
        plain.add("Content-Type: text/plain");
        c.add("Content-Type text/plain", target, plain, c.body, Set.of(415), "Content-Type");
        if (refusesUnknown || !schema.path("additionalProperties").asBoolean(true)) {
            c.add("an unknown field", target, c.auth, with(c.body, List.of(), "colour", "\"blue\""), Set.of(400),
                    "colour");
        }
        fieldCases(c, target, schema, List.of());
    }

    /** Each field of the schema with a value of another type; one level into nested objects. */
    private void fieldCases(Cases c, String target, JsonNode schema, List<String> at) {
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext();) {
            var f = it.next();
            JsonNode s = resolve(f.getValue());
            String type = s.path("type").isArray() ? s.path("type").get(0).asText() : s.path("type").asText();
            String wrong = switch (type) {
                case "integer", "number" -> "\"many\"";
                case "boolean" -> "\"yes\"";
                case "array" -> "{}";
                case "object" -> "[1]";
                default -> "{\"text\": 1}";
            };
            c.add(String.join(".", append(at, f.getKey())) + " as " + wrong, target, c.auth,
                    with(c.body, at, f.getKey(), wrong), Set.of(400), f.getKey());
            if (at.isEmpty() && s.has("properties")) {
                fieldCases(c, target, s, List.of(f.getKey()));
            }
        }
    }

    /** Each path parameter as an id nothing has, text where a number goes, a path out of /api, and huge. */
    private static void pathCases(Cases c, String template, Valid valid) {
        for (String name : valid.path().keySet()) {
            boolean scheduler = !template.startsWith("/api/jobs") && !template.equals("/api/services/{name}")
                    || !c.method.equals("GET") && template.startsWith("/api/services/");
            String unknown = name.equals("action") ? "explode" : template.startsWith("/api/jobs") ? "987654321"
                    : "no-such-one";
            c.add(name + " unknown", fill(template, valid, name, unknown), c.auth, c.body, Set.of(404), unknown,
                    scheduler && !name.equals("action"));
            for (String hostile : List.of("abc%00", "..%2F..%2Fetc%2Fpasswd", "a%2Fb", "%2e%2e", "a%5Cb", "a;b")) {
                c.add(name + " " + hostile, fill(template, valid, name, hostile), c.auth, c.body, Set.of(400), "");
            }
            c.add(name + " ../../", fill(template, valid, name, "../../etc/passwd"), c.auth, c.body,
                    Set.of(400, 404, 405), "");
            c.add(name + " of 20,000 characters", fill(template, valid, name, "7".repeat(20_000)), c.auth, c.body,
                    Set.of(400, 404, 414, 431), "");
            if (template.startsWith("/api/jobs") && name.equals("id")) {
                for (String number : List.of("abc", "-1", TWO_TO_63, "1.5", "1_x")) {
                    c.add("id " + number, fill(template, valid, name, number), c.auth, c.body, Set.of(404), number);
                }
            }
        }
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = document.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    /** The body with one more field (at the nested object named by at), or the field's value replaced. */
    private static String with(String body, List<String> at, String field, String value) {
        try {
            ObjectNode tree = (ObjectNode) MessageCodec.mapper().readTree(body);
            ObjectNode into = tree;
            for (String a : at) {
                into = into.has(a) && into.get(a).isObject() ? (ObjectNode) into.get(a) : into.putObject(a);
            }
            into.set(field, MessageCodec.mapper().readTree(value));
            return tree.toString();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(body, e);
        }
    }

    private static List<String> append(List<String> list, String last) {
        List<String> out = new ArrayList<>(list);
        out.add(last);
        return out;
    }

    private static String abbreviated(String v) {
        return v.length() > 80 ? v.substring(0, 40) + "...(" + v.length() + " characters)" : v;
    }

    /** Adds the cases of one operation. */
    private static final class Cases {
        final String operation;
        final String method;
        final String body;
        final List<String> auth;
        final List<Case> out;

        Cases(String operation, String method, String body, List<String> auth, List<Case> out) {
            this.operation = operation;
            this.method = method;
            this.body = body;
            this.auth = auth;
            this.out = out;
        }

        void add(String what, String target, List<String> lines, String body, Set<Integer> statuses, String names) {
            add(what, target, lines, body, statuses, names, false);
        }

        void add(String what, String target, List<String> lines, String body, Set<Integer> statuses, String names,
                boolean schedulerDecides) {
            List<String> head = new ArrayList<>(lines);
            if (body != null && head.stream().noneMatch(l -> l.startsWith("Content-Type:"))) {
                head.add("Content-Type: application/json");
            }
            out.add(new Case(operation, abbreviated(what) + " (" + abbreviated(target) + ")",
                    method, target, head, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                    new TreeSet<>(statuses), names, schedulerDecides));
        }
    }
}
