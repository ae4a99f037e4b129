package reciprocity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void no_configuration_means_port_7070_home_in_the_user_directory_and_the_embedded_database() {
        Config c = Config.from(Map.of());
        assertEquals(7070, c.port());
        assertEquals(Path.of(System.getProperty("user.home"), ".reciprocity"), c.home());
        assertTrue(c.database().isEmpty());
        assertTrue(c.registrationOpen());
        assertEquals(6000, c.rateLimitPerMinute());
        assertFalse(c.trustForwardedFor());
        assertFalse(c.connectors().allowPrivateNetworks(), "connectors reach public servers only unless told otherwise");
        assertTrue(Config.from(Map.of("CONNECTOR_ALLOW_PRIVATE_NETWORKS", "true")).connectors().allowPrivateNetworks());
    }

    @Test
    void bad_values_name_the_variable_and_the_problem() {
        assertEquals("PORT: must be a whole number, not `eighty`",
                assertThrows(Config.Invalid.class, () -> Config.from(Map.of("PORT", "eighty"))).getMessage());
        assertTrue(assertThrows(Config.Invalid.class, () -> Config.from(Map.of("PORT", "70000"))).getMessage().startsWith("PORT:"));
        assertTrue(assertThrows(Config.Invalid.class, () -> Config.from(Map.of("JWT_SECRET", "short"))).getMessage().startsWith("JWT_SECRET:"));
        assertTrue(assertThrows(Config.Invalid.class, () -> Config.from(Map.of("REGISTRATION", "maybe"))).getMessage().startsWith("REGISTRATION:"));
        assertTrue(assertThrows(Config.Invalid.class, () -> Config.from(Map.of("DATABASE_URL", "mysql://x"))).getMessage().startsWith("DATABASE_URL:"));
        assertTrue(assertThrows(Config.Invalid.class, () -> Config.from(Map.of("RATE_LIMIT_PER_MINUTE", "-1"))).getMessage().startsWith("RATE_LIMIT_PER_MINUTE:"));
        assertTrue(assertThrows(Config.Invalid.class, () -> Config.from(Map.of("TRUST_PROXY", "perhaps"))).getMessage().startsWith("TRUST_PROXY:"));
        assertTrue(assertThrows(Config.Invalid.class, () -> Config.from(Map.of("CONNECTOR_ALLOW_PRIVATE_NETWORKS", "lan")))
                .getMessage().startsWith("CONNECTOR_ALLOW_PRIVATE_NETWORKS:"));
    }

    @Test
    void database_urls_in_both_forms_are_understood() {
        Config.Database pg = Config.from(Map.of("DATABASE_URL", "postgres://ann:s%40cret@db.example:5433/ledger")).database().orElseThrow();
        assertEquals("jdbc:postgresql://db.example:5433/ledger", pg.jdbcUrl());
        assertEquals("ann", pg.user());
        assertEquals("s@cret", pg.password());
        Config.Database jdbc = Config.from(Map.of("DATABASE_URL", "jdbc:postgresql://h/db", "DATABASE_USER", "u", "DATABASE_PASSWORD", "p"))
                .database().orElseThrow();
        assertEquals("jdbc:postgresql://h/db", jdbc.jdbcUrl());
        assertEquals("u", jdbc.user());
        assertEquals("p", jdbc.password());
        assertEquals(0, Config.from(Map.of("RATE_LIMIT_PER_MINUTE", "0")).rateLimitPerMinute());
    }

    @Test
    void a_bad_setting_stops_the_process_with_one_line_and_a_non_zero_exit() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "reciprocity.App"));
        pb.environment().put("PORT", "not-a-port");
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(2, p.exitValue());
        assertEquals("reciprocity: PORT: must be a whole number, not `not-a-port`", out);
    }
}
