package dev.cadre.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** The short host name a client command gives as Slurm's submit host. */
final class SubmitHost {
    private SubmitHost() {
    }

    static String name() {
        // The kernel's name needs no resolver, which InetAddress may wait on for seconds.
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!h.isEmpty()) {
                return shortName(h);
            }
        } catch (IOException e) {
            // Not Linux: ask the resolver.
        }
        try {
            return shortName(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String shortName(String host) {
        int dot = host.indexOf('.');
        return dot > 0 ? host.substring(0, dot) : host;
    }
}
