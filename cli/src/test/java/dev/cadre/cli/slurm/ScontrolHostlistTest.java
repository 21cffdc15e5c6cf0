package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScontrolHostlistTest {

    private static void both(String list, String unsorted, String sorted) throws SlurmUsageException {
        assertEquals(unsorted, ScontrolHostlist.compress(list, false), "hostlist " + list);
        assertEquals(sorted, ScontrolHostlist.compress(list, true), "hostlistsorted " + list);
    }

    @Test
    void consecutiveNumbersShareARange() throws SlurmUsageException {
        both("n1,n2,n3", "n[1-3]", "n[1-3]");
        both("n1", "n1", "n1");
        both("n1,n2,n4,n5,n9", "n[1-2,4-5,9]", "n[1-2,4-5,9]");
        both("n[1-3],n4", "n[1-4]", "n[1-4]");
        both("n[1-3],n[5-6]", "n[1-3,5-6]", "n[1-3,5-6]");
    }

    @Test
    void withoutSortingTheOrderIsKeptAndSortingFollowsHostlistSort() throws SlurmUsageException {
        both("n3,n1,n2", "n[3,1-2]", "n[1-3]");
        both("n10,n9,n11", "n[10,9,11]", "n[9-11]");
    }

    @Test
    void zeroPaddingIsKeptAndOnlyRangesOfOnePaddingJoin() throws SlurmUsageException {
        both("n01,n02", "n[01-02]", "n[01-02]");
        both("n9,n10", "n[9-10]", "n[9-10]");
        both("n09,n10", "n[09-10]", "n[09-10]");
        both("n99,n100", "n[99-100]", "n[99-100]");
        both("n1,n02", "n[1,02]", "n[1,02]");
        // hostlist_sort: where paddings do not combine, the narrower first.
        both("n10,n9,n01", "n[10,9,01]", "n[9,01,10]");
        both("n[001-003]", "n[001-003]", "n[001-003]");
    }

    @Test
    void prefixesEachHaveTheirBracketsAndSortNaturally() throws SlurmUsageException {
        both("a1,b1,a2", "a1,b1,a2", "a[1-2],b1");
        both("rack10-n1,rack2-n1", "rack10-n1,rack2-n1", "rack2-n1,rack10-n1");
        both("gpu1,gpu2,cpu1,cpu2", "gpu[1-2],cpu[1-2]", "cpu[1-2],gpu[1-2]");
    }

    @Test
    void duplicatesAreKeptAsSlurmKeepsThem() throws SlurmUsageException {
        both("n1,n1,n2", "n[1,1-2]", "n[1,1-2]");
        both("n2,n1,n2", "n[2,1-2]", "n[1-2,2]");
    }

    @Test
    void namesWithoutANumberAtTheEndStandAlone() throws SlurmUsageException {
        both("n1-ib,n2-ib", "n1-ib,n2-ib", "n1-ib,n2-ib");
        both("login,n1", "login,n1", "login,n1");
        // A name without a number sorts before the numbered ones of its prefix.
        both("n1,n", "n1,n", "n,n1");
        both("7,8", "[7-8]", "[7-8]");
    }

    @Test
    void separatorsAreCommasOrWhiteSpaceAsInAFileOfLines() throws SlurmUsageException {
        both("n1\nn2\n\nn3\n", "n[1-3]", "n[1-3]");
        both("n1,,n2,", "n[1-2]", "n[1-2]");
        both(" n1 , n2 ", "n[1-2]", "n[1-2]");
        both("", "", "");
    }

    @Test
    void aListThatIsNoneIsRefusedNamingWhy() {
        for (String bad : new String[] {"n[1-", "n[3-1]", "n]", "n[a-b]", "n@1"}) {
            SlurmUsageException e = assertThrows(SlurmUsageException.class, () -> ScontrolHostlist.compress(bad,
                    false), bad);
            assertEquals(true, e.getMessage().startsWith("Invalid hostlist: " + bad + " ("), e.getMessage());
        }
    }
}
