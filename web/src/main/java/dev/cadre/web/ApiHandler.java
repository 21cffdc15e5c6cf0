package dev.cadre.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cadre.broker.RequestClient;
import dev.cadre.db.JobQuery;
import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeUsage;
import dev.cadre.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The REST API. Reads come from SQLite; writes go through the broker exactly as any other client's
 * (submit-job, cancel-job and the scontrol requests on cadre.submit), so there is one path into the scheduler.
 */
final class ApiHandler extends Handler.Abstract {
    private static final Pattern JOB = Pattern.compile("/api/jobs/(" + JobReference.SYNTAX + ")");
    private final byte[] token;
    private final JobStore jobs;
    private final NodeStore nodes;
    private final JobLookup lookup;
    private final SchedulerRequests scheduler;
    private final JobActions actions;
    private final ServiceApi services;

    ApiHandler(String token, JobStore jobs, NodeStore nodes, ServiceStore services, RequestClient requests) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.jobs = jobs;
        this.nodes = nodes;
        this.lookup = new JobLookup(jobs);
        this.scheduler = new SchedulerRequests(requests);
        this.services = new ServiceApi(scheduler, jobs, services);
        this.actions = new JobActions(lookup, scheduler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        try {
            if (!path.startsWith("/api/")) {
                throw new ApiException(404, "no such resource: " + path);
            }
            authorize(request);
            Object body = route(request.getMethod(), path, request, response);
            reply(response, callback, response.getStatus() == 0 ? 200 : response.getStatus(), body);
        } catch (ApiException e) {
            problem(response, callback, e.status, e.getMessage(), e.field, e.state);
        } catch (Exception e) {
            problem(response, callback, 500, "internal error: " + e, null, null);
        }
        return true;
    }

    private void authorize(Request request) throws ApiException {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.startsWith("Bearer ")) {
            throw new ApiException(401, "missing bearer token: send 'Authorization: Bearer <token>' (the token is"
                    + " in the client file)");
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw new ApiException(403, "wrong bearer token");
        }
    }

    private Object route(String method, String path, Request request, Response response) throws Exception {
        Matcher m;
        if (path.equals("/api/jobs")) {
            if (method.equals("GET")) {
                return listJobs(Request.extractQueryParameters(request));
            }
            if (method.equals("POST")) {
                response.setStatus(201);
                return submit(readBody(request));
            }
            throw new ApiException(405, method + " is not allowed on /api/jobs");
        }
        if ((m = JOB.matcher(path)).matches()) {
            requireMethod(method, "GET", path);
            String id = m.group(1);
            JobRecord j = lookup.find(JobReference.parse(id).orElseThrow())
                    .orElseThrow(() -> new ApiException(404, "job " + id + " does not exist"));
            return JobSummary.of(j, jobs.history().attempts(j.id()));
        }
        if ((m = JobActions.PATH.matcher(path)).matches()) {
            requireMethod(method, "POST", path);
            return actions.perform(m.group(1), m.group(2), readBody(request));
        }
        if (path.equals("/api/services")) {
            if (method.equals("POST")) {
                response.setStatus(201);
                return services.create(readBody(request));
            }
            requireMethod(method, "GET", path);
            return services.list();
        }
        if ((m = ServiceApi.ONE.matcher(path)).matches()) {
            requireMethod(method, "DELETE", path);
            return services.delete(m.group(1));
        }
        if (path.equals("/api/nodes")) {
            requireMethod(method, "GET", path);
            Map<String, NodeUsage> usage = NodeUsage.byNode(jobs.active());
            return nodes.list().stream().map(n -> NodeSummary.of(n, usage.getOrDefault(n.id(), NodeUsage.NONE)))
                    .toList();
        }
        throw new ApiException(404, "no such resource: " + path);
    }

    private static void requireMethod(String method, String allowed, String path) throws ApiException {
        if (!method.equals(allowed)) {
            throw new ApiException(405, method + " is not allowed on " + path);
        }
    }

    private List<JobSummary> listJobs(Fields q) throws ApiException {
        Set<JobState> states = new HashSet<>();
        String stateParam = q.getValue("state");
        if (stateParam != null && !stateParam.isBlank()) {
            for (String s : stateParam.split(",")) {
                states.add(parseState(s.trim()));
            }
        }
        int limit = q.getValue("limit") == null ? 1000 : (int) number("limit", q.getValue("limit"));
        Long after = q.getValue("after") == null ? null : number("after", q.getValue("after"));
        JobQuery query;
        try {
            query = new JobQuery(states, q.getValue("user"), q.getValue("name"), Set.of(), after, limit);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage(), "limit");
        }
        String idParam = q.getValue("id");
        List<JobRecord> found = idParam == null || idParam.isBlank() ? jobs.list(query)
                : lookup.records(references(idParam), query);
        return found.stream().map(j -> JobSummary.of(j, null)).toList();
    }

    /** squeue -j and sacct -j: "12" is a job or every part of array 12, "12_3" one task. */
    private static List<JobReference> references(String param) throws ApiException {
        List<JobReference> refs = new java.util.ArrayList<>();
        for (String s : param.split(",")) {
            refs.add(JobReference.parse(s.trim()).orElseThrow(() -> new ApiException(400, "'id' must list job ids"
                    + " such as 12 or 12_3 (an array task), not '" + s.trim() + "'", "id")));
        }
        return refs;
    }

    private static JobState parseState(String s) throws ApiException {
        for (JobState st : JobState.values()) {
            if (st.name().equalsIgnoreCase(s) || st.shortCode().equalsIgnoreCase(s)) {
                return st;
            }
        }
        throw new ApiException(400, "unknown state '" + s + "'; use one of " + Arrays.toString(JobState.values()),
                "state");
    }

    private static long number(String field, String value) throws ApiException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ApiException(400, "'" + field + "' must be a whole number, not '" + value + "'", field);
        }
    }

    /** The body is a submit-job message, with or without its "type" field. */
    private Map<String, Object> submit(String body) throws Exception {
        ClientRequest.SubmitJob submit;
        try {
            var tree = MessageCodec.mapper().readTree(body);
            if (!(tree instanceof ObjectNode obj)) {
                throw new ApiException(400, "the body must be a JSON object with a 'spec'");
            }
            obj.put("type", "submit-job");
            submit = MessageCodec.decode(obj.toString(), ClientRequest.SubmitJob.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ApiException(400, "malformed JSON: " + e.getOriginalMessage());
        } catch (ProtocolException e) {
            throw new ApiException(400, e.getMessage(), e.field());
        }
        ClientReply reply = scheduler.send(submit);
        if (reply instanceof ClientReply.JobAccepted a) {
            return Map.of("jobId", a.jobId(), "duplicate", a.duplicate());
        }
        if (reply instanceof ClientReply.JobRejected r) {
            throw new ApiException(400, r.reason(), r.field());
        }
        throw SchedulerRequests.unexpected(reply);
    }

    private static String readBody(Request request) throws IOException, ApiException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MessageCodec.MAX_BYTES + 1);
            if (bytes.length > MessageCodec.MAX_BYTES) {
                throw new ApiException(413, "request body is larger than " + MessageCodec.MAX_BYTES + " bytes");
            }
            try {
                return MessageCodec.text(bytes);
            } catch (ProtocolException e) {
                throw new ApiException(400, e.getMessage());
            }
        }
    }

    private static void reply(Response response, Callback callback, int status, Object body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, MessageCodec.encodeValue(body), callback);
    }

    private static void problem(Response response, Callback callback, int status, String detail, String field,
            JobState state) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        if (status == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"cadre\"");
        }
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", org.eclipse.jetty.http.HttpStatus.getMessage(status));
        body.put("status", status);
        body.put("detail", detail);
        if (field != null) {
            body.put("field", field);
        }
        if (state != null) {
            body.put("state", state);
        }
        Content.Sink.write(response, true, MessageCodec.encodeValue(body), callback);
    }
}
