package reciprocity.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque pagination cursors: the sort values of the last item, bound to the user and the list they came from and
 * signed, so a forged cursor or one taken from another user or list is a 400, never someone else's rows.
 */
public final class Cursors {
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();
    private final byte[] key;

    public Cursors(byte[] secret) {
        this.key = hmac(secret, "reciprocity-cursor".getBytes(StandardCharsets.UTF_8));
    }

    /** Encodes {@code values} (no value may contain a newline) for {@code list} and {@code userId}. */
    public String encode(long userId, String list, List<String> values) {
        String payload = String.join("\n", values);
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        return ENC.encodeToString(body) + "." + ENC.encodeToString(sign(userId, list, body));
    }

    /** The values in a cursor this server issued to this user for this list; otherwise a 400 naming `cursor`. */
    public List<String> decode(long userId, String list, String cursor, int expectedValues) {
        try {
            int dot = cursor.indexOf('.');
            if (dot <= 0 || cursor.length() > 2000) throw new IllegalArgumentException();
            byte[] body = DEC.decode(cursor.substring(0, dot));
            byte[] mac = DEC.decode(cursor.substring(dot + 1));
            if (!MessageDigest.isEqual(mac, sign(userId, list, body))) throw new IllegalArgumentException();
            List<String> values = new ArrayList<>(Arrays.asList(new String(body, StandardCharsets.UTF_8).split("\n", -1)));
            if (values.size() != expectedValues) throw new IllegalArgumentException();
            return values;
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("cursor", "cursor is not one this server gave you for this list; start again without it");
        }
    }

    private byte[] sign(long userId, String list, byte[] body) {
        byte[] context = (userId + "|" + list + "|").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[context.length + body.length];
        System.arraycopy(context, 0, all, 0, context.length);
        System.arraycopy(body, 0, all, context.length, body.length);
        return Arrays.copyOf(hmac(key, all), 16);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
