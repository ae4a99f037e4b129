package reciprocity.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import reciprocity.db.Rows;
import reciprocity.account.AccountService;
import reciprocity.account.Settings;
import reciprocity.auth.User;
import reciprocity.auth.UserDao;
import reciprocity.contacts.Contact;
import reciprocity.contacts.ContactService;
import reciprocity.identities.IdentityService;
import reciprocity.ledger.Ledger;
import reciprocity.web.ApiProblem;

/**
 * All of a user's data as one versioned JSON document, written row by row as it is read from one consistent snapshot,
 * so memory stays flat however large the ledger. The imports feature reads the same format back.
 */
public final class ExportService {
    public static final String FORMAT = "reciprocity-export";
    public static final int VERSION = 1;
    private static final int FETCH = 500;

    /** The account part. */
    public record UserPart(String email, String displayName, String timezone, Settings settings) {}

    /** A contact as exported. */
    public record ExportContact(long id, String displayName, String notes, List<String> tags, Integer cadenceDays,
                                List<Contact.HandleView> handles) {}

    /** An interaction as exported. */
    public record ExportInteraction(long id, long contactId, String direction, String kind, String platform, String url,
                                    String threadUrl, Instant occurredAt, String note, String source, String externalId) {}

    /** An obligation as exported, in the state the user sees now (keep-in-touch rows not yet due are left out). */
    public record ExportObligation(long id, long contactId, String type, String state, Long interactionId, Instant openedAt,
                                   Instant snoozedUntil, Instant resolvedAt) {}

    private final Jdbi jdbi;
    private final AccountService accounts;
    private final ObjectWriter writer;
    private final ObjectMapper json;
    private final Clock clock;

    public ExportService(Jdbi jdbi, AccountService accounts, ObjectMapper json, Clock clock) {
        this.jdbi = jdbi;
        this.accounts = accounts;
        this.json = json;
        // Flushing after every row would send a packet per row; the generator flushes when its buffer fills.
        this.writer = json.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
        this.clock = clock;
    }

    /** Checks the account exists before the response is committed, so a failure can still be a problem document. */
    public void checkAccount(long userId) {
        accounts.get(userId);
    }

    /** Writes the document to {@code out}. The rows come from one repeatable-read snapshot, fetched {@value FETCH} at a time. */
    public void write(long userId, OutputStream out) {
        Instant now = clock.instant();
        jdbi.useTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            h.execute("set transaction read only");
            User user = h.attach(UserDao.class).findById(userId).orElseThrow(() -> ApiProblem.notFound("The account"));
            Settings settings = accounts.settings(h, userId);
            try (JsonGenerator g = json.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
                g.writeStartObject();
                g.writeStringField("format", FORMAT);
                g.writeNumberField("version", VERSION);
                g.writeFieldName("exportedAt");
                writer.writeValue(g, now);
                g.writeFieldName("user");
                writer.writeValue(g, new UserPart(user.email(), user.displayName(), user.timezone(), settings));
                g.writeFieldName("identities");
                writer.writeValue(g, IdentityService.list(h, userId));
                g.writeArrayFieldStart("contacts");
                contacts(h, userId, g);
                g.writeEndArray();
                g.writeArrayFieldStart("interactions");
                interactions(h, userId, g);
                g.writeEndArray();
                g.writeArrayFieldStart("obligations");
                obligations(h, userId, now, g);
                g.writeEndArray();
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** One row of contacts left-joined with handles. */
    private record ContactHandleRow(ExportContact contact, Contact.HandleView handle) {}

    /** Contacts joined with their handles in id order, one contact written as soon as its last handle is read. */
    private void contacts(Handle h, long userId, JsonGenerator g) {
        ExportContact[] current = {null};
        h.createQuery("""
                        select c.id, c.display_name, c.notes, c.tags, c.cadence_days, x.id handle_id, x.platform, x.handle
                        from contacts c left join handles x on x.contact_id = c.id and x.user_id = :u
                        where c.user_id = :u order by c.id, x.id""")
                .bind("u", userId).setFetchSize(FETCH)
                .map((rs, ctx) -> {
                    ExportContact c = new ExportContact(rs.getLong("id"), rs.getString("display_name"), rs.getString("notes"),
                            tags(rs), (Integer) rs.getObject("cadence_days"), new ArrayList<>());
                    Long handleId = (Long) rs.getObject("handle_id");
                    return new ContactHandleRow(c, handleId == null ? null
                            : ContactService.handleView(handleId, rs.getString("platform"), rs.getString("handle")));
                })
                .forEach(r -> {
                    if (current[0] == null || current[0].id() != r.contact().id()) {
                        if (current[0] != null) row(g, current[0]);
                        current[0] = r.contact();
                    }
                    if (r.handle() != null) current[0].handles().add(r.handle());
                });
        if (current[0] != null) row(g, current[0]);
    }

    private void interactions(Handle h, long userId, JsonGenerator g) {
        h.createQuery("""
                        select i.id, i.contact_id, i.direction, i.kind, i.platform, i.url, i.thread_url, i.occurred_at, i.note,
                               i.source, i.external_id
                        from contacts c
                        cross join lateral (select * from interactions i where i.contact_id = c.id and i.user_id = :u
                                            order by i.contact_id, i.occurred_at, i.id) i
                        where c.user_id = :u order by c.id, i.occurred_at, i.id""")
                .bind("u", userId).setFetchSize(FETCH)
                .map((rs, ctx) -> new ExportInteraction(rs.getLong("id"), rs.getLong("contact_id"), rs.getString("direction"),
                        rs.getString("kind"), rs.getString("platform"), rs.getString("url"), rs.getString("thread_url"),
                        Rows.instant(rs, "occurred_at"), rs.getString("note"), rs.getString("source"), rs.getString("external_id")))
                .forEach(i -> row(g, i));
    }

    private void obligations(Handle h, long userId, Instant now, JsonGenerator g) {
        h.createQuery("""
                        select * from (
                          select o.id, o.contact_id, o.type, o.interaction_id, o.opened_at, o.snoozed_until,
                                 coalesce(o.resolved_at, o.closes_at) resolved_at, %s as effective
                          from obligations o where o.user_id = :u) x
                        where effective <> 'pending' order by id""".formatted(Ledger.EFFECTIVE_STATE))
                .bind("u", userId).bind("now", now).setFetchSize(FETCH)
                .map((rs, ctx) -> {
                    String state = rs.getString("effective");
                    return new ExportObligation(rs.getLong("id"), rs.getLong("contact_id"), rs.getString("type"), state,
                            (Long) rs.getObject("interaction_id"), Rows.instant(rs, "opened_at"),
                            "snoozed".equals(state) ? Rows.instant(rs, "snoozed_until") : null,
                            "resolved".equals(state) ? Rows.instant(rs, "resolved_at") : null);
                })
                .forEach(o -> row(g, o));
    }

    private void row(JsonGenerator g, Object value) {
        try {
            writer.writeValue(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> tags(ResultSet rs) throws SQLException {
        java.sql.Array a = rs.getArray("tags");
        return a == null ? List.of() : List.of((String[]) a.getArray());
    }

}
