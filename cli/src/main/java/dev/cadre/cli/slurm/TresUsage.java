package dev.cadre.cli.slurm;

import java.util.StringJoiner;

/**
 * A TRESUsage* value as Slurm writes one (sacct's and sstat's TRESUsageInMax and kin): {@code name=value} pairs in
 * its (alphabetical) order, of the TRES Cadre knows, cpu, fs/disk, mem and vmem; those it cannot know (energy, pages)
 * are left out, not printed 0.
 */
final class TresUsage {
    private static final String[] NAMES = {"cpu", "fs/disk", "mem", "vmem"};

    private TresUsage() {
    }

    /** The known parts, each null when unknown; null (blank) when none is. */
    static String of(String cpu, String disk, String mem, String vmem) {
        StringJoiner out = new StringJoiner(",");
        String[] values = {cpu, disk, mem, vmem};
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                out.add(NAMES[i] + "=" + values[i]);
            }
        }
        return out.length() == 0 ? null : out.toString();
    }
}
