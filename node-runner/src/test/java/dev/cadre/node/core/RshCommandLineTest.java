package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RshCommandLineTest {
    private static RshCommandLine parse(String... args) {
        return RshCommandLine.parse(List.of(args));
    }

    private static String error(String... args) {
        return assertThrows(RshCommandLine.BadCommandLine.class, () -> RshCommandLine.parse(Arrays.asList(args)))
                .getMessage();
    }

    @Test
    void openMpiOrtedLaunchIsKeptWordForWord() {
        RshCommandLine c = parse("node2", "orted", "-mca", "ess", "\"env\"", "-mca", "ess_base_jobid", "\"3735420928\"",
                "-mca", "ess_base_vpid", "1", "-mca", "ess_base_num_procs", "\"3\"", "-mca", "orte_node_regex",
                "\"node[1:1-3]@0(3)\"", "-mca", "orte_hnp_uri", "\"3735420928.0;tcp://10.0.0.1:45219\"",
                "--tree-spawn", "-mca", "routed", "\"radix\"", "-mca", "plm_rsh_agent", "\"/opt/cadre/bin/cadre rsh\"");
        assertEquals("node2", c.host());
        assertNull(c.user());
        assertNull(c.port());
        assertEquals("orted -mca ess \"env\" -mca ess_base_jobid \"3735420928\" -mca ess_base_vpid 1 -mca"
                + " ess_base_num_procs \"3\" -mca orte_node_regex \"node[1:1-3]@0(3)\" -mca orte_hnp_uri"
                + " \"3735420928.0;tcp://10.0.0.1:45219\" --tree-spawn -mca routed \"radix\" -mca plm_rsh_agent"
                + " \"/opt/cadre/bin/cadre rsh\"", c.command());
    }

    @Test
    void openMpiPrefixedLaunchKeepsItsShellSyntax() {
        String prefix = "PATH=/opt/ompi/bin:$PATH ; export PATH ; LD_LIBRARY_PATH=/opt/ompi/lib:${LD_LIBRARY_PATH:-} ;"
                + " export LD_LIBRARY_PATH ; DYLD_LIBRARY_PATH=/opt/ompi/lib:${DYLD_LIBRARY_PATH:-} ;"
                + " export DYLD_LIBRARY_PATH ;   /opt/ompi/bin/orted";
        RshCommandLine c = parse("-x", "node3", prefix, "-mca", "ess", "\"env\"");
        assertEquals("node3", c.host());
        assertEquals(prefix + " -mca ess \"env\"", c.command());
    }

    @Test
    void hydraProxyLaunch() {
        RshCommandLine c = parse("h1", "\"/usr/bin/hydra_pmi_proxy\"", "--control-port", "h0:4242", "--rmk", "user",
                "--launcher", "rsh", "--demux", "poll", "--pgid", "0", "--retries", "10", "--usize", "-2",
                "--proxy-id", "1");
        assertEquals("h1", c.host());
        assertEquals("\"/usr/bin/hydra_pmi_proxy\" --control-port h0:4242 --rmk user --launcher rsh --demux poll"
                + " --pgid 0 --retries 10 --usize -2 --proxy-id 1", c.command());
    }

    @Test
    void optionsUsersAndPortsAsOpenSshReadsThem() {
        RshCommandLine c = parse("-qTx", "-o", "BatchMode=yes", "-oStrictHostKeyChecking=no", "bob@h2", "-p", "2222",
                "hostname");
        assertEquals("h2", c.host());
        assertEquals("bob", c.user());
        assertEquals(2222, c.port());
        assertEquals("hostname", c.command());
        assertEquals("amy", parse("-l", "amy", "bob@h2", "true").user());
        assertEquals("amy", parse("-lamy", "h2", "true").user());
        assertEquals("x@y", parse("x@y@h2", "true").user());
        assertEquals(22, parse("-p22", "h2", "true").port());
        assertEquals(2200, parse("-o", "Port=2200", "-o", "User carol", "h2", "true").port());
        assertEquals("carol", parse("-o", "User carol", "h2", "true").user());
        assertEquals("-v ls", parse("--", "h2", "-v", "ls").command());
        assertEquals("-v ls", parse("h2", "--", "-v", "ls").command());
        assertEquals("ls", parse("h2", "-v", "ls").command());
        assertEquals("echo 'a  b' ; true", parse("h2", "echo", "'a  b'", ";", "true").command());
    }

    @Test
    void badCommandLinesAreNamed() {
        assertTrue(error().contains("no host"));
        assertTrue(error("-x").contains("no host"));
        assertTrue(error("-p").contains("-p needs a value"));
        assertTrue(error("h2", "-o").contains("-o needs a value"));
        assertTrue(error("-Z", "h2", "true").contains("unknown option -Z"));
        assertTrue(error("-p", "http", "h2", "true").contains("bad port 'http'"));
        assertTrue(error("@h2", "true").contains("not a host"));
        assertTrue(error("h2").contains("no command to run on h2"));
        assertTrue(error("h2", null).contains("argument 2 is missing"));
    }
}
