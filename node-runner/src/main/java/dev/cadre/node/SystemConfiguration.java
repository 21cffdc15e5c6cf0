package dev.cadre.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Figures of the running kernel that Java has no call for, the units /proc writes in: the page size (statm's) and
 * USER_HZ (the clock ticks of /proc/PID/stat's times). Each is asked of getconf(1) once and kept: a job's memory
 * checks and usage readings must not start a process each time.
 */
final class SystemConfiguration {
    private static final Map<String, Long> KNOWN = new ConcurrentHashMap<>();

    private SystemConfiguration() {
    }

    /** The kernel's page size, statm's unit; 4 KiB where getconf cannot tell, every Linux machine Cadre runs on's. */
    static long pageSize() {
        return value("PAGESIZE", 4096);
    }

    /** USER_HZ, the unit of /proc/PID/stat's CPU times; 100 where getconf cannot tell, as on every Linux build. */
    static long clockTicksPerSecond() {
        return value("CLK_TCK", 100);
    }

    private static long value(String name, long otherwise) {
        Long known = KNOWN.get(name);
        if (known != null) {
            return known;
        }
        long found = otherwise;
        try {
            Process p = new ProcessBuilder("getconf", name).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (p.waitFor() == 0 && out.matches("[1-9][0-9]{0,9}")) {
                found = Long.parseLong(out);
            }
        } catch (IOException e) {
            // no getconf: the figure every Linux machine Cadre runs on has
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return otherwise; // not kept: the next caller asks again
        }
        KNOWN.put(name, found);
        return found;
    }
}
