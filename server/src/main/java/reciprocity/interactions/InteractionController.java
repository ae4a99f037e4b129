package reciprocity.interactions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.Map;
import reciprocity.account.Settings;
import reciprocity.ledger.Ledger;
import reciprocity.platforms.Platform;
import reciprocity.web.ApiProblem;
import reciprocity.web.Auth;
import reciprocity.web.Json;
import reciprocity.web.Params;

/** HTTP for interactions. */
public final class InteractionController {
    private final InteractionService interactions;
    private final ObjectMapper json;

    public InteractionController(InteractionService interactions, ObjectMapper json) {
        this.interactions = interactions;
        this.json = json;
    }

    public void create(Context ctx) {
        InteractionService.Create body = Json.read(ctx, json, InteractionService.Create.class);
        InteractionService.Reply reply = interactions.create(Auth.userId(ctx), ctx.header("Idempotency-Key"), body);
        ctx.status(reply.status()).contentType("application/json").result(reply.body());
    }

    public void batch(Context ctx) {
        InteractionService.Batch body = Json.read(ctx, json, InteractionService.Batch.class);
        boolean minimal = prefersMinimal(ctx.header("Prefer"));
        if (minimal) ctx.header("Preference-Applied", "return=minimal");
        ctx.json(Map.of("results", interactions.batch(Auth.userId(ctx), body, ctx.path(), minimal)));
    }

    /** RFC 7240: `Prefer: return=minimal` among possibly several comma-separated preferences. */
    static boolean prefersMinimal(String prefer) {
        if (prefer == null) return false;
        for (String p : prefer.split(",")) {
            if (p.strip().equalsIgnoreCase("return=minimal")) return true;
        }
        return false;
    }

    public void get(Context ctx) {
        ctx.json(interactions.get(Auth.userId(ctx), Params.id(ctx, "id")));
    }

    public void delete(Context ctx) {
        interactions.delete(Auth.userId(ctx), Params.id(ctx, "id"));
        ctx.status(204);
    }

    public void list(Context ctx) {
        String direction = ctx.queryParam("direction");
        if (direction != null && !Ledger.DIRECTIONS.contains(direction)) throw ApiProblem.badRequest("direction", "direction must be inbound or outbound");
        String kind = ctx.queryParam("kind");
        if (kind != null && !Settings.KINDS.contains(kind)) throw ApiProblem.badRequest("kind", "kind must be one of " + String.join(", ", Settings.KINDS));
        String platform = ctx.queryParam("platform");
        if (platform != null) {
            platform = Platform.fromId(platform).map(Platform::id)
                    .orElseThrow(() -> ApiProblem.badRequest("platform", "platform must be one of x, linkedin, facebook, instagram, mastodon, reddit, github, bluesky, threads, youtube"));
        }
        InteractionService.Filter filter = new InteractionService.Filter(Params.longQuery(ctx, "contactId"), direction, kind,
                platform, Params.instantQuery(ctx, "since"), Params.instantQuery(ctx, "until"));
        ctx.json(interactions.list(Auth.userId(ctx), filter, Params.cursor(ctx), Params.intQuery(ctx, "limit", 20, 1, 100)));
    }
}
