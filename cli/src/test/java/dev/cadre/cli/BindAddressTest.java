package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BindAddressTest {
    @Test
    void ipv6LiteralsAreBracketedForTheListenersAndTheUrls() {
        assertEquals(new BindAddress(BindAddress.Kind.IPV6, "[::1]"), BindAddress.parse("::1"));
        assertEquals(new BindAddress(BindAddress.Kind.IPV6, "[::1]"), BindAddress.parse("[::1]"));
        assertEquals(new BindAddress(BindAddress.Kind.IPV6, "[fd00::5]"), BindAddress.parse("fd00::5"));
        assertEquals("[::1]", BindAddress.parse("::1").urlHost("head"));
    }

    @Test
    void theAnyAddressesTellClientsTheHostName() {
        assertEquals(new BindAddress(BindAddress.Kind.ANY, "[::]"), BindAddress.parse("::"));
        assertEquals(new BindAddress(BindAddress.Kind.ANY, "0.0.0.0"), BindAddress.parse("0.0.0.0"));
        assertEquals("head", BindAddress.parse("::").urlHost("head"));
        assertEquals("head", BindAddress.parse("0.0.0.0").urlHost("head"));
    }

    @Test
    void ipv4AddressesAndNamesStayAsGiven() {
        assertEquals(new BindAddress(BindAddress.Kind.IPV4, "10.0.0.5"), BindAddress.parse("10.0.0.5"));
        assertEquals(new BindAddress(BindAddress.Kind.NAME, "head.example"), BindAddress.parse("head.example"));
        assertEquals("10.0.0.5", BindAddress.parse("10.0.0.5").urlHost("head"));
    }

    @Test
    void anythingElseIsRefusedNamingTheValue() {
        for (String bad : new String[] {":::x", "999.1.1.1", "1.2.3", "[10.0.0.1]", "a b", "", "1::2::3", "host:80"}) {
            assertEquals("--bind '" + bad + "' is not an IPv4 address, an IPv6 address or a host name (0.0.0.0 or ::"
                    + " for all addresses)", assertThrows(IllegalArgumentException.class,
                            () -> BindAddress.parse(bad)).getMessage(), bad);
        }
    }
}
