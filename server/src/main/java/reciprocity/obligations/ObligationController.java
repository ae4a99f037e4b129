package reciprocity.obligations;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import reciprocity.web.ApiProblem;
import reciprocity.web.Auth;
import reciprocity.web.Json;
import reciprocity.web.Params;

/** HTTP for obligations and the summary. */
public final class ObligationController {
    private final ObligationService obligations;
    private final ObjectMapper json;

    public ObligationController(ObligationService obligations, ObjectMapper json) {
        this.obligations = obligations;
        this.json = json;
    }

    public void list(Context ctx) {
        String state = ctx.queryParam("state");
        if (state != null && !ObligationService.STATES.contains(state)) {
            throw ApiProblem.badRequest("state", "state must be open, snoozed, dismissed or resolved");
        }
        String type = ctx.queryParam("type");
        if (type != null && !ObligationService.TYPES.contains(type)) {
            throw ApiProblem.badRequest("type", "type must be reply, giveBack or keepInTouch");
        }
        ctx.json(obligations.list(Auth.userId(ctx), state, type, Params.longQuery(ctx, "contactId"), Params.cursor(ctx),
                Params.intQuery(ctx, "limit", 20, 1, 100)));
    }

    public void snooze(Context ctx) {
        ctx.json(obligations.snooze(Auth.userId(ctx), Params.id(ctx, "id"), Json.read(ctx, json, ObligationService.Snooze.class)));
    }

    public void dismiss(Context ctx) {
        ctx.json(obligations.dismiss(Auth.userId(ctx), Params.id(ctx, "id")));
    }

    public void reopen(Context ctx) {
        ctx.json(obligations.reopen(Auth.userId(ctx), Params.id(ctx, "id")));
    }

    public void summary(Context ctx) {
        ctx.json(obligations.summary(Auth.userId(ctx)));
    }
}
