package reciprocity.auth;

/** What sign-in, registration and refresh answer. */
public record TokenPair(String accessToken, String refreshToken, String tokenType, long expiresIn) {
    public static TokenPair bearer(String accessToken, String refreshToken) {
        return new TokenPair(accessToken, refreshToken, "Bearer", AccessTokens.LIFETIME.toSeconds());
    }
}
