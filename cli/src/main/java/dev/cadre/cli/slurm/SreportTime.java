package dev.cadre.cli.slurm;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * sreport's -t: how usage prints (sreport.c's _set_time_format, common.c's time strings). Each name is matched as
 * Slurm matches it: case aside, a prefix of at least the letters Slurm compares.
 */
public enum SreportTime {
    SECONDS("Seconds", 1, false, false),
    MINUTES("Minutes", 60, false, false),
    HOURS("Hours", 3600, false, false),
    PERCENT("Percentage of Total", 1, true, false),
    SECONDS_PERCENT("Seconds/Percentage of Total", 1, false, true),
    MINUTES_PERCENT("Minutes/Percentage of Total", 60, false, true),
    HOURS_PERCENT("Hours/Percentage of Total", 3600, false, true);

    private final String label;
    private final long divisor;
    private final boolean percentOnly;
    private final boolean withPercent;

    SreportTime(String label, long divisor, boolean percentOnly, boolean withPercent) {
        this.label = label;
        this.divisor = divisor;
        this.percentOnly = percentOnly;
        this.withPercent = withPercent;
    }

    /**
     * -t's value, in the order sreport tries them: SecPer, MinPer, HourPer (6 letters), then Seconds, Minutes, Hours,
     * Percent (one letter is enough).
     *
     * @throws SlurmUsageException Slurm's "unknown time format X"
     */
    public static SreportTime parse(String text) throws SlurmUsageException {
        String t = text.toLowerCase(Locale.ROOT);
        String[] names = {"secper", "minper", "hourper", "seconds", "minutes", "hours", "percent"};
        SreportTime[] formats = {SECONDS_PERCENT, MINUTES_PERCENT, HOURS_PERCENT, SECONDS, MINUTES, HOURS, PERCENT};
        for (int i = 0; i < names.length; i++) {
            int least = i < 3 ? 6 : 1;
            if (t.length() >= least && names[i].startsWith(t)) {
                return formats[i];
            }
        }
        throw new SlurmUsageException("unknown time format " + text);
    }

    /** The words after "Usage reported in" (after "CPU " but for Percent) and "Time reported in". */
    public String label() {
        return label;
    }

    public boolean percentOnly() {
        return percentOnly;
    }

    /** Whether a usage column is 9 wider to hold "(12.34%)" (the SecPer, MinPer and HourPer forms). */
    public boolean withPercent() {
        return withPercent;
    }

    /**
     * A usage as sreport prints it: whole units by printf's %.0lf, a percentage of {@code total} by %.2lf%%, or both
     * as "123(4.56%)". A total of 0 counts as 1, as sreport's does.
     */
    public String format(long seconds, long total) {
        String percent = fixed(seconds * 100.0 / Math.max(1, total), 2) + "%";
        if (percentOnly) {
            return percent;
        }
        String amount = divisor == 1 ? Long.toString(seconds) : fixed((double) seconds / divisor, 0);
        return withPercent ? amount + "(" + percent + ")" : amount;
    }

    /** printf's rounding of the double's exact value: a tie goes to the even digit. */
    private static String fixed(double value, int decimals) {
        return new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }
}
