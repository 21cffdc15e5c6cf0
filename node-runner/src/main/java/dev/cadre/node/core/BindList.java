package dev.cadre.node.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The list of a map or mask binding, --cpu-bind's map_cpu and mask_cpu or --gpu-bind's map_gpu and mask_gpu, read
 * as Slurm reads both (src/common/proc_args.c, src/common/tres_bind.c _valid_num_list, and srun(1)): values
 * separated by commas, {@code VALUE*N} standing for N copies of VALUE; a map's ids decimal, or hexadecimal after
 * 0x; a mask always hexadecimal, 0x or not ("GPU masks are always interpreted as hexadecimal values but can be
 * preceded with an optional '0x'", as are CPU masks). Pure.
 *
 * @param option the option as its messages name it, {@code --cpu-bind}
 * @param unit what a map names, {@code CPU id}
 * @param highestId the highest id a map may name, and the highest bit a mask may set
 */
public record BindList(String option, String unit, int highestId) {
    /** The most values a list may hold, repetitions written out: far above the tasks of any node. */
    public static final int MOST_VALUES = 4096;
    public static final BindList CPUS = new BindList("--cpu-bind", "CPU id", CpuList.MAX_CPU);
    public static final BindList GPUS = new BindList("--gpu-bind", "GPU index", 1023);

    private static final Pattern DECIMAL = Pattern.compile("[0-9]+");
    private static final Pattern HEXADECIMAL = Pattern.compile("[0-9a-fA-F]+");

    /**
     * @param items the list, after the type's colon
     * @param masks whether it holds masks (else ids)
     * @param value the option's whole value, for messages
     * @throws IllegalArgumentException naming the item that is no id, mask or repetition count, or a list too long
     */
    public List<BigInteger> read(String items, boolean masks, String value) {
        String given = option + "=" + value;
        List<BigInteger> values = new ArrayList<>();
        for (String item : items.split(",", -1)) {
            int star = item.indexOf('*');
            BigInteger v = value(star < 0 ? item : item.substring(0, star), masks, given);
            int times = star < 0 ? 1 : repetitions(item.substring(star + 1), given);
            if (values.size() + times > MOST_VALUES) {
                throw new IllegalArgumentException(given + " lists more than " + MOST_VALUES + " values");
            }
            for (int i = 0; i < times; i++) {
                values.add(v);
            }
        }
        return values;
    }

    private BigInteger value(String item, boolean masks, String given) {
        boolean hexPrefix = item.regionMatches(true, 0, "0x", 0, 2);
        String digits = hexPrefix ? item.substring(2) : item;
        boolean hex = masks || hexPrefix;
        if ((hex ? HEXADECIMAL : DECIMAL).matcher(digits).matches()) {
            BigInteger v = new BigInteger(digits, hex ? 16 : 10);
            if (masks ? v.signum() > 0 && v.bitLength() <= highestId + 1
                    : v.compareTo(BigInteger.valueOf(highestId)) <= 0) {
                return v;
            }
        }
        String kind = masks ? unit.substring(0, unit.indexOf(' ')) + " mask (hexadecimal, not 0, at most bit "
                + highestId + ")" : unit + " (0-" + highestId + ")";
        throw new IllegalArgumentException("'" + item + "' in " + given + " is no " + kind);
    }

    private static int repetitions(String count, String given) {
        if (DECIMAL.matcher(count).matches() && count.length() <= 4) {
            int n = Integer.parseInt(count);
            if (n >= 1 && n <= MOST_VALUES) {
                return n;
            }
        }
        throw new IllegalArgumentException("'*" + count + "' in " + given + " is no repetition count (1-"
                + MOST_VALUES + ")");
    }
}
