package dev.cadre.web;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty makes by itself, as application/problem+json like the API's own refusals: a URL it refuses
 * before any handler sees it ("/api//jobs", an encoded '/' or "..", a control character), a path nothing serves,
 * a failure outside the API's handler. Jetty's HTML page would repeat the URL and name Jetty's version; this names
 * neither, and a 5xx says only under which id the head's log has it.
 */
final class ProblemErrorPage extends ErrorHandler {

    /** Every method gets the body, DELETE and PUT too, so that no client is left with a bare status. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        ApiHandler.problem(response, callback, code, detail(request, code, message, cause), null, null);
    }

    private static String detail(Request request, int code, String message, Throwable cause) {
        if (code >= 500) {
            return cause == null ? HttpStatus.getMessage(code)
                    : InternalErrors.report(request.getMethod() + " " + request.getHttpURI().getPath(), cause)
                            .getMessage();
        }
        if (code == 404) {
            return "no such resource";
        }
        if (code != 400) {
            return message == null ? HttpStatus.getMessage(code) : message;
        }
        if (message == null || message.equals(HttpStatus.getMessage(code))) {
            // What Jetty could not parse at all, such as "%zz" or an encoded NUL in the path; it gives no reason.
            return "the request could not be read: a '%' in its URL must be followed by two hex digits and encode"
                    + " no control character, and its lines must be HTTP/1.1's";
        }
        // Jetty's reason names the problem ("Ambiguous URI path separator") and never the URL itself.
        return "the request was refused before it reached the API: " + message;
    }
}
