package dev.cadre.cli.wire;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP/1.1 the client commands speak to the REST API, one request per connection: a request's bytes, and
 * a response read from a stream (a Content-Length body, a chunked one, or one that ends with the connection).
 * Hand-made because java.net.http's client costs several times a whole short command to start.
 */
public final class HttpMessage {
    /** Far above any answer of the REST API; a longer one is refused rather than buffered. */
    static final int MAX_BODY = 64 << 20;
    private static final int MAX_LINE = 16 << 10;

    /** A response; header names are lower case. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private HttpMessage() {
    }

    /**
     * @param hostHeader host[:port] as the URL names it
     * @param body null for none
     */
    public static byte[] request(String method, String hostHeader, String target, String token, byte[] body) {
        return request(method, hostHeader, target, token, null, body);
    }

    /**
     * @param idempotencyKey the Idempotency-Key header of a change the head is to carry out once however often it
     *        is sent; null for none
     */
    public static byte[] request(String method, String hostHeader, String target, String token,
            String idempotencyKey, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("Connection: close\r\n")
                .append("Accept: application/json\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (idempotencyKey != null) {
            head.append("Idempotency-Key: ").append(idempotencyKey).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\n").append("Content-Length: ").append(body.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null) {
            return h;
        }
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    public static Response read(InputStream in) throws IOException {
        String status = line(in);
        // "HTTP/1.1 200 OK": the code is the second word.
        String[] words = status.split(" ", 3);
        if (words.length < 2 || !words[0].startsWith("HTTP/") || words[1].length() != 3) {
            throw new IOException("not an HTTP response: '" + printable(status) + "'");
        }
        int code;
        try {
            code = Integer.parseInt(words[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: '" + printable(status) + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        while (true) {
            String h = line(in);
            if (h.isEmpty()) {
                break;
            }
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
        }
        byte[] body;
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked(in);
        } else if (length != null) {
            long n;
            try {
                n = Long.parseLong(length);
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length '" + printable(length) + "'");
            }
            if (n < 0 || n > MAX_BODY) {
                throw new IOException("a response body of " + n + " bytes");
            }
            body = in.readNBytes((int) n);
            if (body.length < n) {
                throw new EOFException("the response body was cut short");
            }
        } else {
            body = upTo(in, MAX_BODY);
        }
        return new Response(code, headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size '" + printable(sizeLine) + "'");
            }
            if (size < 0 || out.size() + (long) size > MAX_BODY) {
                throw new IOException("a response body over " + MAX_BODY + " bytes");
            }
            if (size == 0) {
                // Trailers, if any, end with an empty line.
                while (!line(in).isEmpty()) {
                    continue;
                }
                return out.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new EOFException("a chunk was cut short");
            }
            out.writeBytes(chunk);
            if (!line(in).isEmpty()) {
                throw new IOException("a chunk is not followed by CRLF");
            }
        }
    }

    private static byte[] upTo(InputStream in, int limit) throws IOException {
        byte[] b = in.readNBytes(limit + 1);
        if (b.length > limit) {
            throw new IOException("a response body over " + limit + " bytes");
        }
        return b;
    }

    /** A line without its CRLF (a bare LF is taken too). */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the connection closed in the middle of the response head");
            }
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (b.size() >= MAX_LINE) {
                throw new IOException("a response line over " + MAX_LINE + " bytes");
            }
            b.write(c);
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
