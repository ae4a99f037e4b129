package reciprocity.tokens;

import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * The shape of a personal access token: `rcp_` + 32 random base62 characters + a 6-character CRC32 checksum,
 * so a mistyped token is refused without touching the database (the same idea as GitHub's tokens).
 */
public final class PatFormat {
    public static final String PREFIX = "rcp_";
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int RANDOM_LENGTH = 32;
    private static final int CHECKSUM_LENGTH = 6;
    public static final int LENGTH = PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PatFormat() {}

    public static String generate() {
        StringBuilder body = new StringBuilder(RANDOM_LENGTH);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            body.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return PREFIX + body + checksum(body);
    }

    public static boolean isWellFormed(String token) {
        if (token == null || token.length() != LENGTH || !token.startsWith(PREFIX)) return false;
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (ALPHABET.indexOf(token.charAt(i)) < 0) return false;
        }
        CharSequence body = token.subSequence(PREFIX.length(), PREFIX.length() + RANDOM_LENGTH);
        return checksum(body).equals(token.substring(PREFIX.length() + RANDOM_LENGTH));
    }

    /** What the token list shows so a person can tell tokens apart: `rcp_` and the first 6 random characters. */
    public static String displayPrefix(String token) {
        return token.substring(0, PREFIX.length() + 6);
    }

    private static String checksum(CharSequence body) {
        CRC32 crc = new CRC32();
        for (int i = 0; i < body.length(); i++) crc.update(body.charAt(i));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(out);
    }
}
