package reciprocity.connectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AES-GCM sealing of connector credentials and the key file. */
class ConnectorCredentialVaultTest {
    @Test
    void a_sealed_value_opens_only_with_its_key_and_context_and_each_seal_uses_a_new_nonce(@TempDir Path home) throws Exception {
        CredentialVault vault = CredentialVault.load(Optional.empty(), home);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("connector.key"))));
        byte[] plain = "{\"token\":\"s3cret\"}".getBytes(StandardCharsets.UTF_8);
        byte[] a = vault.seal(plain, "user:1");
        byte[] b = vault.seal(plain, "user:1");
        assertFalse(Arrays.equals(Arrays.copyOf(a, 12), Arrays.copyOf(b, 12)));
        assertArrayEquals(plain, vault.open(a, "user:1"));
        assertArrayEquals(plain, CredentialVault.load(Optional.empty(), home).open(a, "user:1"), "the key file is reused");
        assertThrows(IllegalStateException.class, () -> vault.open(a, "user:2"));
        assertThrows(IllegalStateException.class, () -> new CredentialVault(new byte[32]).open(a, "user:1"));
    }

    @Test
    void connector_key_must_be_base64_of_32_bytes_and_the_sync_interval_a_sane_number_of_minutes() {
        byte[] key = reciprocity.Config.from(java.util.Map.of("CONNECTOR_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32])))
                .connectors().key().orElseThrow();
        assertEquals(32, key.length);
        assertThrows(reciprocity.Config.Invalid.class, () -> reciprocity.Config.from(java.util.Map.of("CONNECTOR_KEY", "not base64!")));
        assertThrows(reciprocity.Config.Invalid.class, () -> reciprocity.Config.from(java.util.Map.of("CONNECTOR_KEY", "c2hvcnQ=")));
        assertThrows(reciprocity.Config.Invalid.class, () -> reciprocity.Config.from(java.util.Map.of("CONNECTOR_SYNC_MINUTES", "0")));
        assertEquals(java.time.Duration.ofMinutes(15), reciprocity.Config.from(java.util.Map.of()).connectors().syncInterval());
    }
}
