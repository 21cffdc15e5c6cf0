package dev.cadre.cli.slurm;

import dev.cadre.protocol.FairShare;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * sshare's table, as its process.c lays it out with Slurm's print_fields: the classic multifactor's columns (Account
 * User RawShares NormShares RawUsage EffectvUsage FairShare; -l adds NormUsage, GrpTRESMins and TRESRunMins), a line
 * for the root account, then one per user under it, its account indented one level (" root"). Cadre's tree is flat:
 * one share each, a user's effective usage its normalised usage, and root's figures the whole cluster's (all of the
 * usage, all of the shares, so a factor of 2^-1). Cadre keeps no TRES limits or running TRES-minutes: those columns
 * are empty.
 */
public final class SshareFormat {
    /** sshare's fields, in process.c's order: a prefix of a name picks the first that it begins. */
    static final List<PrintFields.Column> TABLE = List.of(
            PrintFields.text("Account", -20), PrintFields.text("Cluster", 10),
            PrintFields.number("EffectvUsage", 13), PrintFields.number("FairShare", 10),
            PrintFields.number("LevelFS", 10), PrintFields.number("ID", 6),
            PrintFields.number("NormShares", 11), PrintFields.number("NormUsage", 11),
            PrintFields.text("Partition", 12), PrintFields.number("RawShares", 10),
            PrintFields.number("RawUsage", 11), PrintFields.text("User", 10),
            PrintFields.text("GrpTRESMins", 30), PrintFields.text("TRESRunMins", 30));

    private SshareFormat() {
    }

    /** The default fields: the classic algorithm's, -m adding the partition after the user. */
    static List<String> defaultFields(SshareOptions o) {
        String partition = o.partitions() ? "P," : "";
        return List.of(("A,User," + partition + "RawShares,NormShares,RawUsage,"
                + (o.longList() ? "NormUsage,Eff,Fairshare,GrpTRESMins,TRESRunMins" : "Eff,Fairshare")).split(","));
    }

    /** @throws SlurmUsageException {@code sshare: error: Invalid field requested: "NAME"} */
    static List<PrintFields.Column> columns(SshareOptions o) throws SlurmUsageException {
        List<PrintFields.Column> out = new ArrayList<>();
        for (String field : o.format() != null ? o.format() : defaultFields(o)) {
            out.add(PrintFields.column(TABLE, field, "sshare"));
        }
        return out;
    }

    /** The lines sshare prints: the header (unless -n), root's line (unless -U or -A leaves it out), the users'. */
    public static List<String> render(SshareOptions o, ShareReport report) {
        List<PrintFields.Column> columns;
        try {
            columns = columns(o);
        } catch (SlurmUsageException e) {
            throw new IllegalArgumentException("options are checked when read", e);
        }
        List<String> lines = new ArrayList<>();
        if (o.header()) {
            lines.addAll(PrintFields.header(columns, o.parsable(), "|"));
        }
        if (o.accounts() != null && !o.accounts().contains(report.account())) {
            return lines;
        }
        FairShare shares = report.shares();
        if (!o.usersOnly()) {
            lines.add(PrintFields.row(columns, o.parsable(), "|", values(columns, report, null)));
        }
        for (String user : report.users()) {
            if (o.users() == null || o.users().contains(user)) {
                lines.add(PrintFields.row(columns, o.parsable(), "|", values(columns, report, user)));
            }
        }
        return lines;
    }

    /** @param user null for the root account's line */
    private static List<String> values(List<PrintFields.Column> columns, ShareReport report, String user) {
        FairShare s = report.shares();
        List<String> out = new ArrayList<>();
        for (PrintFields.Column c : columns) {
            out.add(switch (c.name()) {
                case "Account" -> user == null ? report.account() : " " + report.account();
                case "Cluster" -> SlurmClusters.DEFAULT_NAME;
                case "User" -> user;
                case "RawShares" -> user == null ? null : "1";
                case "NormShares" -> decimal(user == null ? 1.0 : s.normShares());
                case "RawUsage" -> Long.toString((long) (user == null ? s.totalUsage()
                        : s.usage().getOrDefault(user, 0.0)));
                case "NormUsage", "EffectvUsage" -> decimal(user == null ? 1.0 : s.normUsage(user));
                // priority_p_calc_fs_factor of root's own figures: all of the usage over all of the shares.
                case "FairShare" -> decimal(user == null ? 0.5 : s.factor(user));
                case "LevelFS", "ID", "Partition" -> null;
                default -> "";
            });
        }
        return out;
    }

    /** print_fields_double: %f. */
    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%f", value);
    }

    /** -e: the field names, four to a line, each padded to 17. */
    static String helpFormat() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < TABLE.size(); i++) {
            if (i % 4 != 0) {
                b.append(' ');
            } else if (i > 0) {
                b.append('\n');
            }
            b.append(String.format(Locale.ROOT, "%-17s", TABLE.get(i).name()));
        }
        return b.append('\n').toString();
    }
}
