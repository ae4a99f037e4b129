package reciprocity.connectors;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a connector may reach a URL: http(s) without user info, to a host whose every address is public. Guards
 * against a user pointing a connector at the server's own network (SSRF): loopback, private, link-local (cloud
 * metadata at 169.254.169.254), carrier-grade NAT, unique-local, multicast, unspecified and reserved ranges, also when
 * spelled as an IPv4-mapped IPv6 address or a bare number ({@code http://2130706433/}).
 */
final class PublicHosts {
    static final String ONLY_PUBLIC = "connectors may only reach public servers";

    /** Name resolution; {@link InetAddress#getAllByName} outside tests. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    PublicHosts(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    PublicHosts(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /**
     * Why the URL may not be reached (a phrase to follow its name: "points at a private network address (loopback)"),
     * or empty when it may. The host is resolved now, every time: a name that was
     * public when the connector was created may point at a private address later (DNS rebinding).
     *
     * @throws UnknownHostException when the host does not resolve
     */
    Optional<String> refusal(URI uri) throws UnknownHostException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) return Optional.of("is not an http(s) URL");
        if (uri.getRawUserInfo() != null) return Optional.of("carries a user name or password");
        if (uri.getHost() == null) return Optional.of("has no host");
        if (allowPrivate) return Optional.empty();
        for (InetAddress address : resolver.resolve(uri.getHost())) {
            String kind = nonPublic(address);
            if (kind != null) return Optional.of("points at a private network address (" + kind + ")");
        }
        return Optional.empty();
    }

    /** What kind of non-public address this is, or null when it is public. */
    static String nonPublic(InetAddress address) {
        byte[] b = address.getAddress();
        return address instanceof Inet4Address || b.length == 4 ? v4(b, 0) : v6(b);
    }

    private static String v4(byte[] b, int at) {
        int a = b[at] & 0xff, c = b[at + 1] & 0xff, d = b[at + 2] & 0xff;
        if (a == 0) return "unspecified";                                     // 0.0.0.0/8
        if (a == 127) return "loopback";                                      // 127.0.0.0/8
        if (a == 10 || (a == 172 && (c & 0xf0) == 16) || (a == 192 && c == 168)) return "private"; // RFC 1918
        if (a == 100 && (c & 0xc0) == 64) return "carrier-grade NAT";         // 100.64.0.0/10
        if (a == 169 && c == 254) return "link-local";                        // 169.254.0.0/16, cloud metadata
        if (a == 192 && c == 0 && d == 0) return "reserved";                  // 192.0.0.0/24, IETF protocol assignments
        if (a == 198 && (c & 0xfe) == 18) return "reserved";                  // 198.18.0.0/15, benchmarking
        if (a >= 224 && a < 240) return "multicast";                          // 224.0.0.0/4
        if (a >= 240) return "reserved";                                      // 240.0.0.0/4 and the broadcast address
        return null;
    }

    private static String v6(byte[] b) {
        boolean zeroTo12 = true;
        for (int i = 0; i < 12; i++) zeroTo12 &= b[i] == 0;
        boolean zeroTo10 = true;
        for (int i = 0; i < 10; i++) zeroTo10 &= b[i] == 0;
        if (zeroTo12) {
            boolean last = b[12] == 0 && b[13] == 0 && b[14] == 0;
            if (last && b[15] == 0) return "unspecified";                     // ::
            if (last && b[15] == 1) return "loopback";                        // ::1
            return "reserved";                                                // ::a.b.c.d, IPv4-compatible (deprecated)
        }
        if (zeroTo10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) return v4(b, 12); // ::ffff:a.b.c.d
        int first = ((b[0] & 0xff) << 8) | (b[1] & 0xff), second = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (first == 0x0064 && second == 0xff9b) {
            boolean wellKnown = true;
            for (int i = 4; i < 12; i++) wellKnown &= b[i] == 0;
            if (!wellKnown) return "reserved";                                // 64:ff9b:1::/48, local-use NAT64
            return v4(b, 12);                                                 // 64:ff9b::/96 reaches that IPv4 address
        }
        if (first == 0x2002) return v4(b, 2);                                 // 6to4 carries an IPv4 address
        if (first == 0x2001 && second == 0x0000) return "reserved";          // Teredo tunnels
        if (first == 0x2001 && second == 0x0db8) return "reserved";          // documentation
        if (first == 0x0100 && second == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0) return "reserved"; // discard-only
        if ((first & 0xfe00) == 0xfc00) return "unique local";                // fc00::/7
        if ((first & 0xffc0) == 0xfe80) return "link-local";                  // fe80::/10
        if ((first & 0xffc0) == 0xfec0) return "site-local";                  // fec0::/10 (deprecated)
        if ((first & 0xff00) == 0xff00) return "multicast";                   // ff00::/8
        return null;
    }
}
