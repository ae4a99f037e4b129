package reciprocity.export;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import reciprocity.web.Auth;

/** HTTP for the export: the document is streamed to the client as it is read. */
public final class ExportController {
    private final ExportService export;
    private final java.time.Clock clock;

    public ExportController(ExportService export, java.time.Clock clock) {
        this.export = export;
        this.clock = clock;
    }

    public void export(Context ctx) {
        long userId = Auth.userId(ctx);
        export.checkAccount(userId);
        ctx.status(200).contentType("application/json")
                .header("Content-Disposition", "attachment; filename=\"reciprocity-export-"
                        + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC) + ".json\"")
                .header("Cache-Control", "no-store");
        // Javalin finishes (and, when compressing, closes) the stream after the handler; the export only flushes it.
        try {
            OutputStream out = ctx.outputStream();
            export.write(userId, out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
