package reciprocity.account;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import reciprocity.web.Auth;
import reciprocity.web.Json;

/** HTTP for the signed-in user's own account. */
public final class MeController {
    private final AccountService accounts;
    private final ObjectMapper json;

    public MeController(AccountService accounts, ObjectMapper json) {
        this.accounts = accounts;
        this.json = json;
    }

    public void get(Context ctx) {
        ctx.json(accounts.get(Auth.userId(ctx)));
    }

    public void patch(Context ctx) {
        ctx.json(accounts.update(Auth.userId(ctx), Json.read(ctx, json, Me.Patch.class)));
    }

    public void changePassword(Context ctx) {
        ctx.json(accounts.changePassword(Auth.userId(ctx), Json.read(ctx, json, Me.PasswordChange.class)));
    }

    public void delete(Context ctx) {
        accounts.delete(Auth.userId(ctx));
        ctx.status(204);
    }
}
