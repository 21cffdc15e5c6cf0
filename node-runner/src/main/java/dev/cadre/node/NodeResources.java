package dev.cadre.node;

import dev.cadre.node.core.NodeGpus;
import java.io.IOException;
import java.io.InputStream;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a node offers: cores, memory and GPUs, detected unless overridden.
 *
 * @param gpuIndexes which GPUs it offers: those nvidia-smi lists, or 0 to N-1 for {@code --gpus N}; how many it
 *     says it has is their count ({@link #gpus})
 */
public record NodeResources(int cores, long memoryMb, List<String> addresses, NodeGpus gpuIndexes) {
    public NodeResources {
        addresses = List.copyOf(addresses);
        gpuIndexes = gpuIndexes == null ? NodeGpus.NONE : gpuIndexes;
    }

    /** A node whose GPUs, if any, are numbered 0 to N-1. */
    public NodeResources(int cores, long memoryMb, int gpus, List<String> addresses) {
        this(cores, memoryMb, addresses, NodeGpus.declared(gpus));
    }

    /** How many GPUs the node offers. */
    public int gpus() {
        return gpuIndexes.count();
    }

    /** @param coresOverride null to detect; same for the others ({@code --gpus}: {@link NodeGpus#declared}) */
    public static NodeResources detect(Integer coresOverride, Long memoryOverride, NodeGpus gpusOverride) {
        int cores = coresOverride != null ? coresOverride : Runtime.getRuntime().availableProcessors();
        long memory = memoryOverride != null ? memoryOverride : totalMemoryMb();
        NodeGpus gpus = gpusOverride != null ? gpusOverride : nvidiaGpus();
        return new NodeResources(cores, memory, localAddresses(), gpus);
    }

    private static long totalMemoryMb() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() / (1024 * 1024);
        }
        return Runtime.getRuntime().maxMemory() / (1024 * 1024);
    }

    /** GPUs as nvidia-smi lists them; none when it is absent or fails. */
    static NodeGpus nvidiaGpus() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return NodeGpus.NONE;
            }
            return p.exitValue() != 0 ? NodeGpus.NONE : NodeGpus.fromNvidiaSmi(out);
        } catch (IOException e) {
            return NodeGpus.NONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NodeGpus.NONE;
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
