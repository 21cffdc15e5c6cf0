package dev.cadre.web;

import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RequestIds;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One request to an endpoint: its path parameters, query, body, and the response to set a status on.
 *
 * @param parameters the template's {names}, in order
 * @param callback Jetty's, for an endpoint that answers by itself ({@link #STREAMING})
 */
record Exchange(Request request, Response response, Callback callback, List<String> parameters, Fields query) {
    /** Returned by an endpoint that has taken the response over: it writes it and completes the callback. */
    static final Object STREAMING = new Object();
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    String parameter(int index) {
        return parameters.get(index);
    }

    /** A query parameter, null when absent or blank. */
    String query(String name) {
        String v = query.getValue(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** The body as text: at most {@link MessageCodec#MAX_BYTES}, in UTF-8. */
    String body() throws IOException, ApiException {
        refuseOtherThanJson();
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

    /**
     * A body declared as something else (a form, text) is not what the client meant to send, and reading it as JSON
     * would act on a guess: 415. A body without a Content-Type is read as JSON, as Java's HttpClient sends one unless
     * told otherwise.
     */
    private void refuseOtherThanJson() throws ApiException {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null) {
            return;
        }
        String media = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!media.equals("application/json") && !media.endsWith("+json")) {
            throw new ApiException(415, "the body must be JSON, sent as 'Content-Type: application/json', not '"
                    + (type.length() > 100 ? type.substring(0, 100) + "..." : type) + "'", "Content-Type");
        }
    }

    /**
     * The Idempotency-Key header, the requestId of the control request the endpoint sends: a client that sends the
     * request again under the same key, after a 504 or a broken connection, has it carried out once
     * (docs/protocol.md 7.7). Null when absent; refused with 400 when malformed or given twice.
     */
    String idempotencyKey() throws ApiException {
        List<String> values = request.getHeaders().getValuesList(IDEMPOTENCY_KEY);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new ApiException(400, IDEMPOTENCY_KEY + " is given more than once", IDEMPOTENCY_KEY);
        }
        String problem = RequestIds.problem(values.get(0));
        if (problem != null) {
            throw new ApiException(400, IDEMPOTENCY_KEY + " " + problem, IDEMPOTENCY_KEY);
        }
        return values.get(0);
    }

    /** Answers 201 instead of 200. */
    <T> T created(T body) {
        response.setStatus(201);
        return body;
    }
}
