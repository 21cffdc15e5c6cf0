package dev.cadre.node;

import java.io.IOException;
import java.io.InputStream;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What a node offers: cores, memory and GPUs, detected unless overridden. */
public record NodeResources(int cores, long memoryMb, int gpus, List<String> addresses) {

    /** @param coresOverride null to detect; same for the others */
    public static NodeResources detect(Integer coresOverride, Long memoryOverride, Integer gpusOverride) {
        int cores = coresOverride != null ? coresOverride : Runtime.getRuntime().availableProcessors();
        long memory = memoryOverride != null ? memoryOverride : totalMemoryMb();
        int gpus = gpusOverride != null ? gpusOverride : nvidiaGpus();
        return new NodeResources(cores, memory, gpus, localAddresses());
    }

    private static long totalMemoryMb() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() / (1024 * 1024);
        }
        return Runtime.getRuntime().maxMemory() / (1024 * 1024);
    }

    /** GPUs as nvidia-smi lists them; none when it is absent or fails. */
    static int nvidiaGpus() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return 0;
            }
            return p.exitValue() != 0 ? 0 : (int) out.lines().filter(l -> l.startsWith("GPU ")).count();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static List<String> localAddresses() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp() && !nif.isLoopback()) {
                    nif.inetAddresses().filter(a -> a instanceof java.net.Inet4Address)
                            .forEach(a -> out.add(a.getHostAddress()));
                }
            }
        } catch (SocketException e) {
            // No addresses to report; the node still runs local jobs.
        }
        return out;
    }
}
