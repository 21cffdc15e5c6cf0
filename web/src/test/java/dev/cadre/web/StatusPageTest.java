package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The status page's files as Jetty serves them: every module a served script imports is served too. */
class StatusPageTest {
    private static final Pattern SCRIPT = Pattern.compile("<script type=\"module\" src=\"([\\w-]+\\.js)\"");
    private static final Pattern IMPORT = Pattern.compile("from '\\./([\\w-]+\\.js)'");

    @Test
    void everyModuleTheScriptsImportIsServed() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            HttpResponse<String> page = server.getWithoutHeader("/");
            assertEquals(200, page.statusCode());
            Deque<String> toRead = new ArrayDeque<>();
            SCRIPT.matcher(page.body()).results().forEach(m -> toRead.add(m.group(1)));
            Set<String> served = new TreeSet<>();
            while (!toRead.isEmpty()) {
                String name = toRead.pop();
                if (!served.add(name)) {
                    continue;
                }
                HttpResponse<String> script = server.getWithoutHeader("/" + name);
                assertEquals(200, script.statusCode(), name + " is imported but not served");
                assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
                Matcher m = IMPORT.matcher(script.body());
                while (m.find()) {
                    toRead.add(m.group(1));
                }
            }
            assertEquals(Set.of("app.js", "chart.js", "failures.js", "job.js", "live.js", "output.js", "services.js",
                    "usage.js", "views.js"), served);
        }
    }
}
