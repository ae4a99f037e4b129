package reciprocity;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The server's settings, read once from the environment and validated before anything starts. */
public record Config(
        int port,
        Path home,
        Optional<Database> database,
        Optional<String> jwtSecret,
        boolean registrationOpen,
        int rateLimitPerMinute,
        boolean trustForwardedFor,
        int loginAttemptsPerMinute,
        int registrationsPerHour,
        Connectors connectors) {

    /** The settings before connectors existed; connectors get their defaults. */
    public Config(int port, Path home, Optional<Database> database, Optional<String> jwtSecret, boolean registrationOpen,
                  int rateLimitPerMinute, boolean trustForwardedFor, int loginAttemptsPerMinute, int registrationsPerHour) {
        this(port, home, database, jwtSecret, registrationOpen, rateLimitPerMinute, trustForwardedFor, loginAttemptsPerMinute,
                registrationsPerHour, Connectors.DEFAULTS);
    }

    /**
     * Notification connectors.
     *
     * @param key the credential key (32 bytes, from CONNECTOR_KEY); empty: RECIPROCITY_HOME/connector.key
     * @param syncInterval how often each connector syncs when it is healthy
     * @param requestTimeout the limit on one request to a remote API (connecting has 5 seconds)
     * @param allowHttp whether a connector's base URL may be plain http (tests, a local instance); https otherwise
     * @param allowPrivateNetworks whether a connector may reach loopback, private, link-local and other non-public
     *                             addresses (tests against a local fake, a self-hosted instance on the LAN); public
     *                             servers only otherwise, so a user cannot make the server request its own network
     */
    public record Connectors(Optional<byte[]> key, java.time.Duration syncInterval, java.time.Duration requestTimeout, boolean allowHttp,
                             boolean allowPrivateNetworks) {
        public static final Connectors DEFAULTS = new Connectors(Optional.empty(), java.time.Duration.ofMinutes(15),
                java.time.Duration.ofSeconds(15), false, false);
    }

    public Config withConnectors(Connectors c) {
        return new Config(port, home, database, jwtSecret, registrationOpen, rateLimitPerMinute, trustForwardedFor,
                loginAttemptsPerMinute, registrationsPerHour, c);
    }

    /** An external PostgreSQL to use instead of the embedded one. */
    public record Database(String jdbcUrl, String user, String password) {}

    /** A setting that cannot be used; the message names the variable and what is wrong. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String variable, String problem) {
            super(variable + ": " + problem);
        }
    }

    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    public static Config from(Map<String, String> env) {
        int port = intValue(env, "PORT", 7070, 0, 65535);
        Path home = Optional.ofNullable(blankToNull(env.get("RECIPROCITY_HOME")))
                .map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".reciprocity"));
        Optional<Database> database = Optional.ofNullable(blankToNull(env.get("DATABASE_URL")))
                .map(url -> database(url, blankToNull(env.get("DATABASE_USER")), blankToNull(env.get("DATABASE_PASSWORD"))));
        Optional<String> jwtSecret = Optional.ofNullable(blankToNull(env.get("JWT_SECRET")));
        jwtSecret.ifPresent(s -> {
            if (s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
                throw new Invalid("JWT_SECRET", "must be at least 32 bytes long (use 32+ random bytes, e.g. `openssl rand -base64 48`)");
            }
        });
        String registration = Optional.ofNullable(blankToNull(env.get("REGISTRATION"))).orElse("open").toLowerCase(Locale.ROOT);
        if (!registration.equals("open") && !registration.equals("closed")) {
            throw new Invalid("REGISTRATION", "must be `open` or `closed`, not `" + registration + "`");
        }
        int rateLimit = intValue(env, "RATE_LIMIT_PER_MINUTE", 6000, 0, 10_000_000);
        boolean trustProxy = boolValue(env, "TRUST_PROXY", false);
        int loginAttempts = intValue(env, "LOGIN_ATTEMPTS_PER_MINUTE", 10, 1, 100_000);
        int registrations = intValue(env, "REGISTRATIONS_PER_HOUR", 20, 1, 1_000_000);
        Optional<byte[]> connectorKey = Optional.ofNullable(blankToNull(env.get("CONNECTOR_KEY"))).map(Config::connectorKey);
        int syncMinutes = intValue(env, "CONNECTOR_SYNC_MINUTES", 15, 1, 1440);
        boolean allowHttp = boolValue(env, "CONNECTOR_ALLOW_HTTP", false);
        boolean allowPrivate = boolValue(env, "CONNECTOR_ALLOW_PRIVATE_NETWORKS", false);
        return new Config(port, home, database, jwtSecret, registration.equals("open"), rateLimit, trustProxy, loginAttempts,
                registrations, new Connectors(connectorKey, java.time.Duration.ofMinutes(syncMinutes),
                        Connectors.DEFAULTS.requestTimeout(), allowHttp, allowPrivate));
    }

    /** CONNECTOR_KEY: 32 bytes in base64 (`openssl rand -base64 32`). */
    static byte[] connectorKey(String raw) {
        byte[] key;
        try {
            key = java.util.Base64.getDecoder().decode(raw.strip());
        } catch (IllegalArgumentException e) {
            throw new Invalid("CONNECTOR_KEY", "is not base64; generate one with `openssl rand -base64 32`");
        }
        if (key.length != 32) {
            throw new Invalid("CONNECTOR_KEY", "must decode to 32 bytes, not " + key.length + "; generate one with `openssl rand -base64 32`");
        }
        return key;
    }

    /** Accepts `jdbc:postgresql://…` and `postgres(ql)://user:pass@host:port/db`. */
    static Database database(String url, String user, String password) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new Database(url, user, password);
        }
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new Invalid("DATABASE_URL", "is not a valid URL (" + e.getMessage() + ")");
            }
            if (uri.getHost() == null) {
                throw new Invalid("DATABASE_URL", "has no host; expected postgres://user:pass@host:port/db");
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath();
            String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + path
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String u = user, p = password;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                if (u == null) u = java.net.URLDecoder.decode(parts[0], java.nio.charset.StandardCharsets.UTF_8);
                if (p == null && parts.length > 1) p = java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8);
            }
            return new Database(jdbc, u, p);
        }
        throw new Invalid("DATABASE_URL", "must start with jdbc:postgresql:// or postgres://");
    }

    private static int intValue(Map<String, String> env, String name, int fallback, int min, int max) {
        String raw = blankToNull(env.get(name));
        if (raw == null) return fallback;
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new Invalid(name, "must be a whole number, not `" + raw + "`");
        }
        if (value < min || value > max) {
            throw new Invalid(name, "must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

    private static boolean boolValue(Map<String, String> env, String name, boolean fallback) {
        String raw = blankToNull(env.get(name));
        if (raw == null) return fallback;
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new Invalid(name, "must be true or false, not `" + raw + "`");
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
