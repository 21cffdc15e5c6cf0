package dev.cadre.cli.slurm;

import dev.cadre.cli.slurm.PrintFields.Parsable;
import java.util.List;

/**
 * One report as the command line asks for it.
 *
 * @param start Start='s value, or null for sreport's default
 * @param end End='s value, or null
 * @param users Users=: only these users' jobs; empty for every user's
 * @param accountsMatch false when Accounts= names no account Cadre has (every job is in root)
 * @param format Format='s fields, empty for the report's default
 * @param topCount TopCount=, 0 for every user ("Top ALL")
 * @param grouping Grouping='s CPU counts, ascending; empty with {@code individual}
 * @param individual Grouping=individual: a column for each job size found
 * @param printJobCount PrintJobCount: jobs counted instead of their usage
 * @param tres -T's value (or SREPORT_TRES), null when not given
 */
public record SreportRequest(Kind kind, String start, String end, List<String> users, boolean accountsMatch,
        List<String> format, long topCount, List<Integer> grouping, boolean individual, boolean printJobCount,
        SreportTime time, Parsable parsable, boolean header, boolean sortByName, String tres) {

    public enum Kind { ACCOUNT_BY_USER, USER_BY_ACCOUNT, TOP_USAGE, JOB_SIZES, UTILIZATION }
}
