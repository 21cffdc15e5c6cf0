package dev.cadre.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request over a plain socket, for tests: the request target goes out byte for byte, where Java's
 * HTTP client would normalize or refuse it ("/api//jobs", "%2e%2e").
 *
 * @param headers the answer's header fields, names in lower case
 * @param body the body as Content-Length gives it; empty for a stream, whose head alone is read
 */
record RawHttp(int status, Map<String, String> headers, String body) {
    private static final int TIMEOUT_MILLIS = 20_000;

    /** @param authorization the Authorization header's value, or null to send none */
    static RawHttp send(RunningWebServer server, String method, String target, String authorization)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.web.port())) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                    + (method.equals("POST") ? "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                            : "\r\n");
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            return read(socket.getInputStream());
        }
    }

    /**
     * Any request, byte for byte: the head's extra lines (each "Name: value") and a body, sent with its
     * Content-Length. A server that answers before it has read a large body may close the socket under the rest of
     * it: the answer is read all the same.
     *
     * @param body null for none
     */
    static RawHttp exchange(RunningWebServer server, String method, String target, java.util.List<String> lines,
            byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.web.port())) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n");
            lines.forEach(l -> head.append(l).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            try {
                socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.UTF_8));
                if (body != null) {
                    socket.getOutputStream().write(body);
                }
            } catch (IOException refusedEarly) {
                // The answer came, and the connection closed, before all of the body was taken.
            }
            return read(socket.getInputStream());
        }
    }

    private static RawHttp read(InputStream in) throws IOException {
        int status = Integer.parseInt(line(in).split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        String length = headers.get("content-length");
        byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
        return new RawHttp(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** With the server's token in the Authorization header. */
    static RawHttp send(RunningWebServer server, String method, String target) throws IOException {
        return send(server, method, target, "Bearer " + server.users.restToken());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the server closed the connection within the head: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** The problem's "field", or null. */
    String field() throws IOException {
        var f = dev.cadre.protocol.MessageCodec.mapper().readTree(body).get("field");
        return f == null ? null : f.asText();
    }

    String detail() throws IOException {
        return dev.cadre.protocol.MessageCodec.mapper().readTree(body).path("detail").asText();
    }

    @Override
    public String toString() {
        return status + " " + headers + " " + body;
    }
}
