package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinfoOptionsTest {
    private static final String TRY = "Try \"sinfo --help\" for more information";

    private static SinfoOptions parse(String... args) throws SlurmUsageException {
        return SinfoOptions.parse(List.of(args), Map.of());
    }

    private static List<String> refusal(String... args) {
        return assertThrows(SlurmUsageException.class, () -> parse(args)).lines();
    }

    @Test
    void eachOptionChoosesSinfosOwnFormat() throws Exception {
        assertEquals(SinfoFormat.DEFAULT, parse().format());
        assertEquals(SinfoFormat.LONG, parse("--long").format());
        assertEquals(SinfoFormat.NODES, parse("-N").format());
        assertEquals(SinfoFormat.LONG_NODES, parse("-Nl").format());
        assertEquals(SinfoFormat.LONG_NODES, parse("--Node", "--long").format());
        assertEquals(SinfoFormat.REASONS, parse("-R").format());
        assertEquals(SinfoFormat.LONG_REASONS, parse("-lR").format());
        assertEquals(SinfoFormat.SUMMARIZE, parse("-s").format());
        assertTrue(parse("-N").builtInFormat());
    }

    @Test
    void aGivenFormatWinsInAnySpelling() throws Exception {
        for (List<String> args : List.of(List.of("-o", "%N"), List.of("-o%N"), List.of("--format=%N"),
                List.of("--format", "%N"), List.of("--form", "%N"), List.of("-No", "%N"), List.of("-l", "-o", "%N"))) {
            SinfoOptions o = SinfoOptions.parse(args, Map.of());
            assertEquals("%N", o.format(), args.toString());
            assertFalse(o.builtInFormat(), args.toString());
        }
        assertEquals("%D", SinfoOptions.parse(List.of(), Map.of("SINFO_FORMAT", "%D")).format());
        assertEquals(SinfoFormat.NODES, SinfoOptions.parse(List.of("-N"), Map.of("SINFO_FORMAT", "%D")).format());
    }

    @Test
    void flagsBundleAndOperandsAreIgnored() throws Exception {
        SinfoOptions o = parse("-hNe", "extra", "--", "-x");
        assertFalse(o.header());
        assertTrue(o.nodeOriented());
        assertTrue(o.exact());
        assertTrue(parse("-a", "--local", "-v", "--noconvert").header());
    }

    @Test
    void getoptErrorsEndWithSinfosHint() {
        assertEquals(List.of("sinfo: unrecognized option '--x'", TRY), refusal("--x"));
        assertEquals(List.of("sinfo: unrecognized option '--bogus=1'", TRY), refusal("--bogus=1"));
        assertEquals(List.of("sinfo: invalid option -- 'x'", TRY), refusal("-hx"));
        assertEquals(List.of("sinfo: option requires an argument -- 'o'", TRY), refusal("-o"));
        assertEquals(List.of("sinfo: option '--states' requires an argument", TRY), refusal("--sta"));
        assertEquals(List.of("sinfo: option '--noheader' doesn't allow an argument", TRY), refusal("--noheader=1"));
        assertEquals(List.of("sinfo: option '--no' is ambiguous; possibilities: '--nodes' '--noconvert' '--noheader'",
                TRY), refusal("--no"));
    }

    @Test
    void badValuesAreSinfosErrors() {
        assertEquals(List.of("sinfo: error: Bad state string: \"bogus\"", "sinfo: error: valid states: unknown,down,"
                + "idle,allocated,error,mixed,future,planned,drain,drained,reserved,perfctrs,draining,completing,"
                + "no_respond,powering_down,powered_down,power_down,powering_up,fail,maint,reboot_requested,"
                + "reboot_issued,cloud"), refusal("-t", "idle,bogus"));
        assertEquals(List.of("sinfo: error: 'n[1' invalid entry for --nodes"), refusal("-n", "n[1"));
        assertEquals(List.of("sinfo: error: Conflicting options, -a and -p, specified. Please choose one or the other."),
                refusal("-p", "batch", "-a"));
        assertEquals(List.of("sinfo: error: --iterate is not supported by this Cadre version"), refusal("-i", "5"));
        assertEquals(List.of("sinfo: error: --Format is not supported by this Cadre version"),
                refusal("--Format=nodelist"));
    }

    @Test
    void partitionsOtherThanBatchShowNothing() throws Exception {
        assertTrue(parse("-p", "debug,batch").showsPartition());
        assertFalse(parse("--partition=debug").showsPartition());
        assertFalse(SinfoOptions.parse(List.of(), Map.of("SINFO_PARTITION", "gpu")).showsPartition());
    }

    @Test
    void helpAndUsageArePrintedInsteadOfNodes() throws Exception {
        assertNotNull(parse("--help").help());
        assertTrue(parse("-h", "--usage").help().startsWith("Usage: sinfo"));
    }
}
