package dev.cadre.cli.slurm;

import dev.cadre.protocol.MailType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Slurm's --mail-type texts: read as its parse_mail_type reads them, shown as its print_mail_type prints them. */
public final class SlurmMail {
    /** print_mail_type's order. */
    private static final List<MailType> PRINTED = List.of(MailType.ARRAY_TASKS, MailType.INVALID_DEPEND,
            MailType.BEGIN, MailType.END, MailType.FAIL, MailType.REQUEUE, MailType.STAGE_OUT,
            MailType.TIME_LIMIT_50, MailType.TIME_LIMIT_80, MailType.TIME_LIMIT_90, MailType.TIME_LIMIT);

    private SlurmMail() {
    }

    /**
     * The types a --mail-type value asks for, ALL spelled out, in Slurm's order; ["NONE"] for NONE. Like Slurm: names
     * in any case, separated by commas; a name it does not know is passed over, NONE ends the list as none.
     *
     * @throws SlurmUsageException Slurm's "Invalid --mail-type specification" when no name is known
     */
    static List<String> parse(String value) throws SlurmUsageException {
        Set<MailType> types = EnumSet.noneOf(MailType.class);
        for (String word : value.split(",")) {
            MailType t = MailType.named(word.toUpperCase(Locale.ROOT));
            if (t == MailType.NONE) {
                return List.of(MailType.NONE.name());
            }
            if (t != null) {
                types.addAll(t.members());
            }
        }
        if (types.isEmpty()) {
            throw new SlurmUsageException("Invalid --mail-type specification");
        }
        return inPrintedOrder(types);
    }

    /** scontrol's MailType=: the types joined with commas, NONE for none. */
    public static String print(List<String> types) {
        List<String> out = inPrintedOrder(MailType.of(types));
        return out.isEmpty() ? "NONE" : String.join(",", out);
    }

    private static List<String> inPrintedOrder(Set<MailType> types) {
        List<String> out = new ArrayList<>();
        for (MailType t : PRINTED) {
            if (types.contains(t)) {
                out.add(t.name());
            }
        }
        return out;
    }
}
