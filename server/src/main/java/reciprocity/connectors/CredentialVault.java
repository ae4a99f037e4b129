package reciprocity.connectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import reciprocity.auth.Secrets;

/** Seals connector credentials with AES-256-GCM: a random 12-byte nonce per value, stored as nonce || ciphertext+tag. */
public final class CredentialVault {
    static final String FILE_NAME = "connector.key";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public CredentialVault(byte[] key) {
        if (key.length != 32) throw new IllegalArgumentException("a connector key is 32 bytes");
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** CONNECTOR_KEY when given; otherwise RECIPROCITY_HOME/connector.key, created once with 32 random bytes (mode 0600). */
    public static CredentialVault load(Optional<byte[]> configured, Path home) {
        if (configured.isPresent()) return new CredentialVault(configured.get());
        Path file = home.resolve(FILE_NAME);
        try {
            createIfAbsent(file);
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (key.length != 32) throw new IllegalStateException(file + " must hold 32 bytes in base64");
            return new CredentialVault(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the connector key in " + file, e);
        }
    }

    private static void createIfAbsent(Path file) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Secrets.writeOnce(file, Base64.getEncoder().encodeToString(key) + "\n");
    }

    /**
     * @param context bound into the tag (additional authenticated data), so a sealed value only opens where it was
     *                sealed (for example, for the same user and connector type)
     */
    public byte[] seal(byte[] plain, String context) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** @throws IllegalStateException when the value was sealed with another key or context, or was altered */
    public byte[] open(byte[] sealed, String context) {
        if (sealed.length < NONCE + TAG_BITS / 8) throw new IllegalStateException("sealed credentials are truncated");
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("the credentials cannot be opened with this connector key (was the key changed?)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }
}
