package reciprocity.account;

import java.time.Instant;

/** The signed-in user's own account, as `GET /v1/me` shows it. */
public record Me(long id, String email, String displayName, String timezone, Settings settings, Instant createdAt) {

    /** `PATCH /v1/me`: any of the fields; absent ones stay. */
    public record Patch(String displayName, String timezone, Settings.Patch settings) {}

    /** `POST /v1/me/password`. */
    public record PasswordChange(String currentPassword, String newPassword) {}
}
