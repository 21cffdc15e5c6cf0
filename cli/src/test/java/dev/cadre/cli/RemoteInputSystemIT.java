package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Standard input through the exec relay inside a batch job (protocol.md §13.10): piped into srun for every task or
 * one, and into cadre-rsh (the Perl agent and {@code cadre rsh}) from a file or a pipe, byte for byte; {@code -n}
 * and /dev/null give the command nothing.
 */
class RemoteInputSystemIT {
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "4");

    @Test
    void srunForwardsAPipeToEveryTaskOrToTheOneNamed() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        CadreProcess.Result r = cadre.run("sbatch", "-W", "-n", "2", "-o", "job.out", "--wrap",
                "echo hello | srun -n2 cat; echo rc=$?; printf 'one\\ntwo\\n' | srun -n2 -l -i 1 wc -l | sort;"
                        + " seq 100000 | srun -n2 -l sh -c 'sort -n | tail -n 1' | sort");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("hello", "hello", "rc=0", "0: 0", "1: 2", "0: 100000", "1: 100000"),
                Files.readAllLines(cadre.workDir.resolve("job.out")));
    }

    @Test
    void cadreRshGivesTheCommandItsInputAsSshDoes() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        String rsh = CadreProcess.ROOT.resolve("bin/cadre-rsh").toString();
        String java = CadreProcess.ROOT.resolve("bin/cadre") + " rsh";
        Files.writeString(cadre.workDir.resolve("in.txt"), "twelve bytes");
        CadreProcess.Result r = cadre.run("sbatch", "-W", "-o", "job.out", "--wrap", String.join("\n",
                "h=${CADRE_EXEC_NODES%%=*}",
                // As ssh, the words are joined: the remote shell sees sh -c 'wc -c'.
                rsh + " $h \"sh -c 'wc -c'\" < in.txt",
                "printf abc | " + rsh + " $h wc -c",
                rsh + " -n $h wc -c < in.txt",
                rsh + " $h wc -c < /dev/null",
                java + " $h wc -c < in.txt",
                "printf abcd | " + java + " $h wc -c",
                // Echoed back while it is sent: neither side waits for the other.
                "head -c 3000000 /dev/urandom > big",
                rsh + " $h cat < big | cmp - big && echo perl-same",
                java + " $h cat < big | cmp - big && echo java-same",
                "yes | " + rsh + " $h head -c 4; echo rc=$?"));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("12", "3", "0", "0", "12", "4", "perl-same", "java-same", "y", "y", "rc=0"),
                Files.readAllLines(cadre.workDir.resolve("job.out")).stream().map(String::strip).toList());
    }
}
