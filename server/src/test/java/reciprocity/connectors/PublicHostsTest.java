package reciprocity.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which addresses count as public, and that every request resolves its host again (DNS rebinding). */
class PublicHostsTest {

    static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void non_public_ranges_are_named_and_public_addresses_pass() throws UnknownHostException {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("127.0.0.1", "loopback"), Map.entry("127.255.0.9", "loopback"), Map.entry("0.0.0.0", "unspecified"),
                Map.entry("10.1.2.3", "private"), Map.entry("172.16.0.1", "private"), Map.entry("172.31.255.255", "private"),
                Map.entry("192.168.0.1", "private"), Map.entry("100.64.0.1", "carrier-grade NAT"), Map.entry("100.127.255.254", "carrier-grade NAT"),
                Map.entry("169.254.169.254", "link-local"), Map.entry("224.0.0.251", "multicast"), Map.entry("255.255.255.255", "reserved"),
                Map.entry("192.0.0.8", "reserved"), Map.entry("198.18.0.1", "reserved"),
                Map.entry("::1", "loopback"), Map.entry("::", "unspecified"), Map.entry("::ffff:10.0.0.1", "private"),
                Map.entry("::ffff:169.254.169.254", "link-local"), Map.entry("::127.0.0.1", "reserved"),
                Map.entry("fc00::1", "unique local"), Map.entry("fdff::1", "unique local"), Map.entry("fe80::1", "link-local"),
                Map.entry("febf::1", "link-local"), Map.entry("fec0::1", "site-local"), Map.entry("ff02::1", "multicast"),
                Map.entry("64:ff9b::7f00:1", "loopback"), Map.entry("64:ff9b:1::1", "reserved"), Map.entry("2002:a00:1::", "private"),
                Map.entry("2001:0:4136:e378::1", "reserved"), Map.entry("2001:db8::1", "reserved"));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertEquals(e.getValue(), PublicHosts.nonPublic(ip(e.getKey())), e.getKey());
        }
        for (String ok : new String[] {"93.184.215.14", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1", "100.63.255.255",
                "169.253.1.1", "192.169.0.1", "198.20.0.1", "223.255.255.255", "2606:4700:4700::1111", "2a00:1450:4001::200e",
                "64:ff9b::5db8:d70e", "2002:5db8:d70e::1", "fbff::1", "fe7f::1"}) {
            assertNull(PublicHosts.nonPublic(ip(ok)), ok);
        }
    }

    @Test
    void a_host_with_any_private_address_among_several_is_refused() throws UnknownHostException {
        InetAddress[] both = {ip("93.184.215.14"), ip("10.0.0.7")};
        PublicHosts hosts = new PublicHosts(false, h -> both);
        assertEquals("points at a private network address (private)", hosts.refusal(URI.create("https://mixed.example")).orElseThrow());
        assertTrue(new PublicHosts(true, h -> both).refusal(URI.create("https://mixed.example")).isEmpty());
    }

    @Test
    void each_request_resolves_the_host_again_so_a_name_rebound_to_loopback_is_refused_before_connecting() throws Exception {
        Deque<InetAddress[]> answers = new ArrayDeque<>();
        answers.add(new InetAddress[] {ip("93.184.215.14")});
        answers.add(new InetAddress[] {ip("127.0.0.1")});
        PublicHosts hosts = new PublicHosts(false, h -> answers.isEmpty() ? new InetAddress[] {ip("127.0.0.1")} : answers.poll());
        URI uri = URI.create("https://rebound.example/api/v1/notifications");
        assertTrue(hosts.refusal(uri).isEmpty(), "public when the connector was created");

        RemoteHttp http = new RemoteHttp(Duration.ofSeconds(1), Clock.systemUTC(), hosts);
        RemoteFailure f = assertThrows(RemoteFailure.class, () -> http.get(uri, Map.of()));
        assertEquals(RemoteFailure.Kind.PRIVATE_ADDRESS, f.kind);
        assertEquals("Not connecting: rebound.example points at a private network address (loopback); connectors may only reach public servers",
                f.getMessage());
        assertTrue(f.kind.needsAttention);
    }

    @Test
    void a_host_that_does_not_resolve_is_unreachable_not_an_internal_error() {
        RemoteHttp http = new RemoteHttp(Duration.ofSeconds(1), Clock.systemUTC(), new PublicHosts(false, h -> {
            throw new UnknownHostException(h);
        }));
        RemoteFailure f = assertThrows(RemoteFailure.class, () -> http.get(URI.create("https://gone.example/x"), Map.of()));
        assertEquals(RemoteFailure.Kind.UNREACHABLE, f.kind);
    }
}
