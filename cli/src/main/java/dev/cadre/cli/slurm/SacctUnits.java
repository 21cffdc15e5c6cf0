package dev.cadre.cli.slurm;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * How sacct prints a size (MaxRSS, AveRSS, ReqMem): Slurm's convert_num_unit with sacct's flags. By default it divides
 * by 1024 into the next unit while the number is at least 1024 and a multiple of 512 (exact: "71680K" is "70M", a
 * half "2.50G" still counts, "10436K" stays); --noconvert leaves the number in its own unit (bytes print bare);
 * --units=[KMGTP] converts to that unit whatever it gives, two decimals when it leaves a fraction, and takes
 * precedence over --noconvert. Zero prints "0" with no unit.
 *
 * @param unit the unit --units asked for (1 for K up to 5 for P), or null
 * @param noConvert --noconvert
 */
public record SacctUnits(Integer unit, boolean noConvert) {
    /** sacct without --units or --noconvert. */
    public static final SacctUnits EXACT = new SacctUnits(null, false);
    /** Slurm's unit letters from UNIT_NONE, which prints none, to UNIT_PETA, and '?' past them. */
    private static final String LETTERS = "KMGTP";
    private static final int NONE = 0;
    private static final int MEGA = 2;

    /**
     * sacct's --units and --noconvert, as get_unit_type reads --units: by its first letter, in either case.
     *
     * @param units --units' value, or null when not given
     * @throws SlurmUsageException with sacct's lines for a unit it does not know
     */
    public static SacctUnits of(String units, boolean noConvert) throws SlurmUsageException {
        if (units == null) {
            return new SacctUnits(null, noConvert);
        }
        int unit = units.isEmpty() ? -1 : LETTERS.indexOf(Character.toUpperCase(units.charAt(0)));
        if (unit < 0) {
            throw new SlurmUsageException(List.of("sacct: error: Invalid unit type '"
                    + (units.isEmpty() ? "" : units.substring(0, 1)) + "'. Possible options are '" + LETTERS + "'",
                    "sacct: fatal: Invalid unit type"));
        }
        return new SacctUnits(unit + 1, noConvert);
    }

    /** A count of bytes (MaxRSS, AveRSS: Slurm keeps memory usage in bytes). */
    public String bytes(long bytes) {
        return convert(bytes, NONE);
    }

    /**
     * A count of bytes read or written (MaxDiskRead, MaxDiskWrite and their averages, in sacct and sstat alike):
     * printed by _print_small_double, from when Slurm kept them in megabytes, so a size, but a single byte is "1.00M".
     */
    public String diskBytes(long bytes) {
        return bytes == 1 ? "1.00M" : bytes(bytes);
    }

    /** A count of megabytes (ReqMem: Slurm keeps requests in megabytes). */
    public String megabytes(long megabytes) {
        return convert(megabytes, MEGA);
    }

    /** convert_num_unit2(num, ..., from, units, 1024, flags) for sacct's flags. */
    private String convert(double num, int from) {
        if ((long) num == 0) {
            return "0";
        }
        int type = from;
        if (unit != null) {
            for (; unit < type; type--) {
                num *= 1024;
            }
            for (; unit > type; type++) {
                num /= 1024;
            }
        } else if (!noConvert) {
            while (num >= 1024 && ((long) num) % 512 == 0) {
                num /= 1024;
                type++;
            }
        }
        String letter = type == NONE ? "" : type <= LETTERS.length() ? LETTERS.substring(type - 1, type) : "?";
        long whole = (long) num;
        if (whole == num) {
            return whole + letter;
        }
        // printf's %.2f rounds the double's exact value, a tie to even: 1.125 is "1.12".
        return new BigDecimal(num).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + letter;
    }
}
