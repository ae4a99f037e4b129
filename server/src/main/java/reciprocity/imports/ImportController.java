package reciprocity.imports;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import jakarta.servlet.MultipartConfigElement;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import reciprocity.web.ApiProblem;
import reciprocity.web.Auth;
import reciprocity.web.Params;

/** HTTP for imports: the upload (multipart field `file`, or the raw file as the body), status, list and cancel. */
public final class ImportController {
    private final ImportService imports;
    private final Path spool;

    /** @param spool where the servlet container may spool multipart uploads before they reach the service */
    public ImportController(ImportService imports, Path spool) {
        this.imports = imports;
        this.spool = spool;
    }

    public void create(Context ctx) {
        String raw = ctx.queryParam("format");
        ImportFormat format = ImportFormat.fromId(raw)
                .orElseThrow(() -> ApiProblem.badRequest("format", "format must be one of " + ImportFormat.ids()));
        long userId = Auth.userId(ctx);
        if (ctx.req().getContentLengthLong() > ImportService.MAX_UPLOAD_BYTES + (1 << 20)) throw ImportService.tooLarge();
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        InputStream body;
        if (type.startsWith("multipart/form-data")) {
            // The container spools parts to disk past 1 MiB; it never holds the upload in memory.
            ctx.req().setAttribute("org.eclipse.jetty.multipartConfig",
                    new MultipartConfigElement(spool.toString(), ImportService.MAX_UPLOAD_BYTES, ImportService.MAX_UPLOAD_BYTES + (1 << 20), 1 << 20));
            UploadedFile file;
            try {
                spool.toFile().mkdirs();
                file = ctx.uploadedFile("file");
            } catch (RuntimeException e) {
                String why = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                if (why.contains("size") || why.contains("exceed") || why.contains("large")) throw ImportService.tooLarge();
                throw ApiProblem.badRequest("file", "The multipart body cannot be read; send the file as the field `file`");
            }
            if (file == null) throw ApiProblem.badRequest("file", "The multipart body has no field `file`");
            body = file.content();
        } else {
            body = ctx.bodyInputStream();
        }
        long id = imports.create(userId, format, body);
        ctx.status(202).header("Location", "/v1/imports/" + id).json(Map.of("importId", id));
    }

    public void get(Context ctx) {
        ctx.json(imports.get(Auth.userId(ctx), Params.id(ctx, "id")));
    }

    public void list(Context ctx) {
        ctx.json(imports.list(Auth.userId(ctx), Params.cursor(ctx), Params.intQuery(ctx, "limit", 20, 1, 100)));
    }

    public void cancel(Context ctx) {
        imports.cancel(Auth.userId(ctx), Params.id(ctx, "id"));
        ctx.status(204);
    }
}
