package reciprocity.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.function.Function;
import reciprocity.web.Json;

/** HTTP for registration, sign-in, refresh and sign-out. */
public final class AuthController {
    record Register(String email, String password, String displayName) {}
    record Login(String email, String password) {}
    record Refresh(String refreshToken) {}

    private final AuthService auth;
    private final ObjectMapper json;
    private final Function<Context, String> clientAddress;

    public AuthController(AuthService auth, ObjectMapper json, Function<Context, String> clientAddress) {
        this.auth = auth;
        this.json = json;
        this.clientAddress = clientAddress;
    }

    public void register(Context ctx) {
        Register r = Json.read(ctx, json, Register.class);
        ctx.status(201).json(auth.register(r.email(), r.password(), r.displayName(), clientAddress.apply(ctx)));
    }

    public void login(Context ctx) {
        Login l = Json.read(ctx, json, Login.class);
        ctx.json(auth.login(l.email(), l.password(), clientAddress.apply(ctx)));
    }

    public void refresh(Context ctx) {
        ctx.json(auth.refresh(Json.read(ctx, json, Refresh.class).refreshToken()));
    }

    public void logout(Context ctx) {
        auth.logout(Json.read(ctx, json, Refresh.class).refreshToken());
        ctx.status(204);
    }
}
