package reciprocity.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HMAC keys access tokens are signed with: one current key and older ones still accepted, each named by a
 * `kid`, so keys can rotate without signing everybody out.
 */
public record SigningKeys(String currentKid, Map<String, byte[]> keys) {
    public static final String FILE_NAME = "jwt-keys";

    public SigningKeys {
        keys = Map.copyOf(keys);
        if (!keys.containsKey(currentKid)) throw new IllegalArgumentException("current key missing");
        keys.values().forEach(k -> {
            if (k.length < 32) throw new IllegalArgumentException("a signing key must be at least 32 bytes");
        });
    }

    public byte[] current() {
        return keys.get(currentKid);
    }

    /** From JWT_SECRET when set; otherwise from RECIPROCITY_HOME/jwt-keys, created once (mode 0600). */
    public static SigningKeys load(Optional<String> secret, Path home) {
        if (secret.isPresent()) {
            byte[] key = secret.get().getBytes(StandardCharsets.UTF_8);
            String kid = kidOf(key);
            return new SigningKeys(kid, Map.of(kid, key));
        }
        Path file = home.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the signing keys in " + file, e);
        }
    }

    /** A fresh random key set, for tests and throwaway servers. */
    public static SigningKeys random() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String kid = kidOf(key);
        return new SigningKeys(kid, Map.of(kid, key));
    }

    /** Lines of `kid base64key`; the first is current, the rest are accepted for tokens they signed. */
    static SigningKeys parse(List<String> lines, Path file) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] parts = line.split("\\s+");
            if (parts.length != 2) throw new IllegalStateException(file + ": each line must be `kid base64key`");
            keys.put(parts[0], Base64.getDecoder().decode(parts[1]));
            order.add(parts[0]);
        }
        if (order.isEmpty()) throw new IllegalStateException(file + " holds no key");
        return new SigningKeys(order.get(0), keys);
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] key = new byte[48];
        new SecureRandom().nextBytes(key);
        String content = "# Access-token signing keys: `kid base64key`, newest first. To rotate, add a new line on top;\n"
                + "# remove an old line once its tokens have expired (15 minutes).\n"
                + kidOf(key) + " " + Base64.getEncoder().encodeToString(key) + "\n";
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file);
    }

    static String kidOf(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
