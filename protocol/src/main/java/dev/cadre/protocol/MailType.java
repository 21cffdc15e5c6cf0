package dev.cadre.protocol;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The events a job's mail is sent for, Slurm's --mail-type names. A spec lists them by name ({@link JobSpec#mailType});
 * {@link #ALL} stands for its {@link #members}, and {@link #NONE}, alone, for none.
 */
public enum MailType {
    NONE, BEGIN, END, FAIL, REQUEUE, ALL, INVALID_DEPEND, TIME_LIMIT, TIME_LIMIT_90, TIME_LIMIT_80, TIME_LIMIT_50,
    /** One mail per array task instead of one for the whole array. */
    ARRAY_TASKS,
    /** Slurm's burst-buffer stage-out: accepted, and never sent, as Cadre has no burst buffers. */
    STAGE_OUT;

    /** What ALL stands for, as Slurm's parse_mail_type has it: the time-limit types are not in it. */
    private static final Set<MailType> ALL_MEANS = EnumSet.of(BEGIN, END, FAIL, INVALID_DEPEND, REQUEUE, STAGE_OUT);

    /** The type of this name, or null when none has it. */
    public static MailType named(String name) {
        for (MailType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The types ALL stands for; the type alone for any other. */
    public Set<MailType> members() {
        if (this == NONE) {
            return EnumSet.noneOf(MailType.class);
        }
        return this == ALL ? EnumSet.copyOf(ALL_MEANS) : EnumSet.of(this);
    }

    /** What a valid spec's list asks for, ALL replaced by its members; empty for none or null. */
    public static Set<MailType> of(List<String> names) {
        Set<MailType> out = EnumSet.noneOf(MailType.class);
        if (names != null) {
            for (String n : names) {
                MailType t = named(n);
                if (t != null) {
                    out.addAll(t.members());
                }
            }
        }
        return out;
    }
}
