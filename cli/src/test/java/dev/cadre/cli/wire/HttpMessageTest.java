package dev.cadre.cli.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one-request HTTP/1.1 the client commands speak: requests as sent, responses as Jetty sends them. */
class HttpMessageTest {
    private static HttpMessage.Response read(String raw) throws IOException {
        return HttpMessage.read(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void aRequestCarriesTheTokenAndABodyWithItsLength() {
        String r = new String(HttpMessage.request("POST", "head:6820", "/api/jobs", "tok", "{}".getBytes()),
                StandardCharsets.UTF_8);
        assertEquals("POST /api/jobs HTTP/1.1\r\nHost: head:6820\r\nConnection: close\r\nAccept: application/json\r\n"
                + "Authorization: Bearer tok\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", r);
    }

    @Test
    void bodiesByLengthByChunksAndToTheEnd() throws IOException {
        assertEquals("[1]", read("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n[1]extra").text());
        HttpMessage.Response chunked = read("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\n{\"a\"\r\n3;ext=1\r\n:1}\r\n0\r\nTrailer: x\r\n\r\n");
        assertEquals(201, chunked.status());
        assertEquals("{\"a\":1}", chunked.text());
        assertEquals("done", read("HTTP/1.0 404 Not Found\r\nX: y\r\n\r\ndone").text());
        assertEquals("y", read("HTTP/1.0 404 Not Found\r\nX: y\r\n\r\n").headers().get("x"));
    }

    @Test
    void brokenResponsesAreErrors() {
        for (String bad : new String[] {"", "SSH-2.0-OpenSSH\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort", "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 200 OK\r\nHost"}) {
            assertThrows(IOException.class, () -> read(bad), bad);
        }
    }
}
