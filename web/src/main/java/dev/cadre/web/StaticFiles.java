package dev.cadre.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Files served as they are from the web module's jar, read once: the status page and the OpenAPI document.
 * Each has an ETag, so a browser revalidates with a 304 instead of fetching it again.
 */
final class StaticFiles {
    /** One file's bytes and headers. */
    record File(String contentType, byte[] bytes, String etag) {
        ByteBuffer buffer() {
            return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        }

        /** Whether the request's If-None-Match names this version. */
        boolean matches(org.eclipse.jetty.server.Request request) {
            String tag = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
            return tag != null && tag.equals(etag);
        }
    }

    private StaticFiles() {
    }

    private static final Map<String, String> TYPES = Map.of("html", "text/html;charset=utf-8", "js",
            "text/javascript;charset=utf-8", "css", "text/css;charset=utf-8", "json", "application/json", "svg",
            "image/svg+xml");

    /** @param resource a class path resource next to this class, such as "status/index.html" */
    static File load(String resource) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the web module's jar has no " + resource);
            }
            byte[] bytes = in.readAllBytes();
            String type = TYPES.get(resource.substring(resource.lastIndexOf('.') + 1));
            if (type == null) {
                throw new IllegalStateException("no content type for " + resource);
            }
            return new File(type, bytes, "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(bytes), 0, 8) + "\"");
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e, e);
        }
    }
}
