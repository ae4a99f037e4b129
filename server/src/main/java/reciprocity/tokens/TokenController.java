package reciprocity.tokens;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.Map;
import reciprocity.web.Auth;
import reciprocity.web.Json;
import reciprocity.web.Params;

/** HTTP for personal access tokens. */
public final class TokenController {
    private final TokenService tokens;
    private final ObjectMapper json;

    public TokenController(TokenService tokens, ObjectMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    public void create(Context ctx) {
        ctx.status(201).json(tokens.create(Auth.userId(ctx), Json.read(ctx, json, TokenService.Create.class)));
    }

    public void list(Context ctx) {
        ctx.json(Map.of("items", tokens.list(Auth.userId(ctx))));
    }

    public void revoke(Context ctx) {
        tokens.revoke(Auth.userId(ctx), Params.id(ctx, "id"));
        ctx.status(204);
    }
}
