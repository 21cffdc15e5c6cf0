package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** sprio's command line as its opts.c reads it, and its complaints. */
class SprioOptionsTest {

    private static SprioOptions parse(String... args) throws SlurmUsageException {
        return SprioOptions.parse(List.of(args), Map.of());
    }

    private static List<String> complaint(String... args) {
        return assertThrows(SlurmUsageException.class, () -> parse(args)).lines();
    }

    @Test
    void withoutOptionsEveryPendingJobByIdWithAHeader() throws Exception {
        SprioOptions o = parse();
        assertNull(o.jobs());
        assertNull(o.users());
        assertNull(o.partitions());
        assertNull(o.format());
        assertEquals("i", o.sort());
        assertTrue(o.header());
        assertFalse(o.longList() || o.normalised() || o.weights());
        assertNull(o.help());
    }

    @Test
    void jobsAreDashJsValueOrTheOperandAfterIt() throws Exception {
        assertEquals(List.of(12L, 13L), parse("-j12,13,,12").jobs(), "attached, each once");
        assertEquals(List.of(12L), parse("-j", "12").jobs(), "-j's value is optional: the next word is an operand");
        assertEquals(List.of(7L), parse("--jobs=7_3").jobs(), "an array task names its array's record");
        assertEquals(List.of("sprio: error: Invalid job id: x1"), complaint("-jx1"));
        assertEquals("sprio: error: Unrecognized option: 12", complaint("12").get(0), "an operand without -j");
        assertEquals(SprioOptions.USAGE.lines().toList(), complaint("-j", "1", "2").subList(1, 3));
    }

    @Test
    void usersPartitionsAndLayout() throws Exception {
        SprioOptions o = parse("-u", "ann,bob", "--partition=batch", "-l", "-n", "-w", "-h", "-S", "-y,i");
        assertEquals(Set.of("ann", "bob"), o.users());
        assertEquals(Set.of("batch"), o.partitions());
        assertTrue(o.longList() && o.normalised() && o.weights());
        assertFalse(o.header());
        assertEquals("-y,i", o.sort());
        assertEquals(Set.of("ann"), parse("--user=ann").users());
    }

    @Test
    void formatComesFromDashOOrSprioFormatUnlessLongAsks() throws Exception {
        assertEquals("%i %Y", parse("-o", "%i %Y").format());
        assertEquals("%i", SprioOptions.parse(List.of(), Map.of("SPRIO_FORMAT", "%i")).format());
        assertEquals("%u", SprioOptions.parse(List.of("--format=%u"), Map.of("SPRIO_FORMAT", "%i")).format());
        assertNull(SprioOptions.parse(List.of("-l"), Map.of("SPRIO_FORMAT", "%i")).format());
        assertEquals(List.of("sprio: fatal: Options -o(--format) and -l(--long) are mutually exclusive. Please"
                + " remove one and retry."), complaint("-l", "-o", "%i"));
        assertEquals(List.of("sprio: error: Invalid job format specification: Z"), complaint("-o", "%i %Z"));
    }

    @Test
    void badSortKeysAndOptionsAreRefused() {
        assertEquals(List.of("sprio: error: Invalid sort specification: x"), complaint("-S", "y,x"));
        assertEquals(List.of("sprio: invalid option -- 'x'", "Try \"sprio --help\" for more information"),
                complaint("-x"));
        assertEquals("sprio: option requires an argument -- 'o'", complaint("-o").get(0));
        assertEquals("sprio: error: 'other' can't be reached now, or it is an invalid entry for --cluster.  Use"
                + " 'sacctmgr list clusters' to see available clusters.", complaint("-M", "other").get(0));
    }

    @Test
    void helpUsageVersionAndHelpformatPrintInstead() throws Exception {
        assertEquals(SprioOptions.HELP, parse("--help").help());
        assertEquals(SprioOptions.USAGE, parse("--usage", "--help").help(), "the first one given");
        assertEquals(CommandOptions.VERSION, parse("-V").help());
        assertEquals("%a    %A    %b    %B    %c    %f    %F    %i    \n%j    %J    %n    %N    %o    %p    %P    %r"
                + "    \n%S    %q    %Q    %u    %y    %Y    %t    %T    \n", parse("--helpformat").help());
        assertNull(parse("-M", "cadre", "--local", "--federation", "--sib", "-v").help(), "one cluster: accepted");
    }
}
