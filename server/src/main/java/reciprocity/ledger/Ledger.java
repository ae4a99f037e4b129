package reciprocity.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import reciprocity.account.Settings;
import reciprocity.platforms.InvalidHandleException;
import reciprocity.platforms.LinkParser;
import reciprocity.platforms.MalformedUrlException;
import reciprocity.platforms.ParsedLink;
import reciprocity.platforms.Platform;
import reciprocity.web.ApiProblem;

/**
 * The rules of the ledger: who a person is, what an interaction changes (balance, last touch, obligations opened and
 * resolved), and what the user owes each person now. Every method runs inside the caller's transaction and every
 * statement is scoped to the user.
 *
 * <p>Time-dependent obligations are stored as windows so reads need no background job: a keep-in-touch row is written
 * ahead of time and becomes visible at {@code opened_at}; a give-back row ends by itself at {@code closes_at}, the moment
 * the decaying balance falls below the threshold.
 */
public final class Ledger {
    public static final Set<String> REPLY_KINDS = Set.of("comment", "reply", "mention", "message");
    public static final Set<String> DIRECTIONS = Set.of("inbound", "outbound");
    private static final String RESOLVER_KINDS = "('comment', 'reply', 'mention', 'message')";

    /** Visible and open at :now (snoozes that ran out count as open again). */
    public static final String OPEN_AT_NOW = " (" + """
            o.state in ('open', 'snoozed') and (o.state = 'open' or o.snoozed_until <= :now)
            and o.opened_at <= :now and (o.closes_at is null or o.closes_at > :now)""" + ") ";

    /** The state a person sees at :now; 'pending' rows (keep-in-touch not yet due) are never shown. */
    public static final String EFFECTIVE_STATE = " " + """
            case when o.state = 'resolved' or (o.closes_at is not null and o.closes_at <= :now) then 'resolved'
                 when o.state = 'dismissed' then 'dismissed'
                 when o.state = 'snoozed' and o.snoozed_until > :now then 'snoozed'
                 when o.opened_at > :now then 'pending'
                 else 'open' end""" + " ";

    /** Most urgent first: overdue replies, replies due, give-back, keep-in-touch. */
    public static final String URGENCY_RANK = " " + """
            case when o.type = 'reply' and o.opened_at <= :overdueBefore then 0
                 when o.type = 'reply' then 1 when o.type = 'giveBack' then 2 else 3 end""" + " ";

    public static final org.jdbi.v3.core.mapper.RowMapper<Interaction> INTERACTION =
            org.jdbi.v3.core.mapper.reflect.ConstructorMapper.of(Interaction.class);

    private final LinkParser links;
    private final ObjectMapper json;

    public Ledger(LinkParser links, ObjectMapper json) {
        this.links = links;
        this.json = json;
    }

    public LinkParser links() {
        return links;
    }

    // ------------------------------------------------------------------------------------------------ people

    /** A person found or created: the contact, and the platform the reference named (null for a contactId). */
    public record Resolved(long contactId, String platform, boolean created) {}

    /** Parses a URL for a person; 400 if it is not a URL, 422 if it names no person on a supported site. */
    public ParsedLink personLink(String url, Settings settings, String field) {
        try {
            return links.parse(url, settings.mastodonInstanceSet())
                    .orElseThrow(() -> ApiProblem.unprocessable(field, field + " is not a person or a person's post on a supported site"));
        } catch (MalformedUrlException e) {
            throw ApiProblem.badRequest(field, field + ": " + e.getMessage());
        }
    }

    /** `(platform, handle)` in canonical form from either a URL or a typed pair; errors name {@code field}. */
    public Map.Entry<Platform, String> handleOf(PersonRef ref, Settings settings, String field) {
        if (ref.url() != null) {
            if (ref.platform() != null || ref.handle() != null) {
                throw ApiProblem.badRequest(field, field + " takes either url or platform and handle, not both");
            }
            ParsedLink link = personLink(ref.url(), settings, field + ".url");
            return Map.entry(link.platform(), link.handle());
        }
        if (ref.platform() == null || ref.handle() == null) {
            throw ApiProblem.badRequest(field, field + " needs url, or platform and handle");
        }
        Platform platform = Platform.fromId(ref.platform())
                .orElseThrow(() -> ApiProblem.badRequest(field + ".platform", field + ".platform must be one of x, linkedin, facebook, instagram, mastodon, reddit, github, bluesky, threads, youtube"));
        if (ref.handle().length() > 200) throw ApiProblem.badRequest(field + ".handle", field + ".handle is too long");
        try {
            return Map.entry(platform, LinkParser.canonicalHandle(platform, ref.handle()));
        } catch (InvalidHandleException e) {
            throw ApiProblem.badRequest(field + ".handle", e.getMessage());
        }
    }

    /** The contact an interaction is with, creating it (named after the handle) when the person is new. */
    public Resolved resolve(Handle h, long userId, Settings settings, PersonRef ref, Instant now) {
        if (ref == null) throw ApiProblem.badRequest("person", "person is required: {url}, {platform, handle} or {contactId}");
        if (ref.contactId() != null) {
            if (ref.url() != null || ref.platform() != null || ref.handle() != null) {
                throw ApiProblem.badRequest("person", "person takes one of {url}, {platform, handle} or {contactId}");
            }
            boolean exists = h.createQuery("select count(*) from contacts where user_id = :u and id = :id")
                    .bind("u", userId).bind("id", ref.contactId()).mapTo(Integer.class).one() > 0;
            if (!exists) throw ApiProblem.notFound("Contact " + ref.contactId());
            return new Resolved(ref.contactId(), null, false);
        }
        Map.Entry<Platform, String> key = handleOf(ref, settings, "person");
        String platform = key.getKey().id();
        String handle = key.getValue();
        if (isIdentity(h, userId, platform, handle)) {
            throw ApiProblem.unprocessable("person", "That is your own " + platform + " identity (" + handle + "); interactions are with other people");
        }
        Optional<Long> existing = contactOfHandle(h, userId, platform, handle);
        if (existing.isPresent()) return new Resolved(existing.get(), platform, false);
        long contactId = insertContact(h, userId, handle, null, List.of(), null, now);
        boolean inserted = h.createUpdate("""
                        insert into handles (user_id, contact_id, platform, handle, created_at) values (:u, :c, :p, :h, :now)
                        on conflict (user_id, platform, handle) do nothing""")
                .bind("u", userId).bind("c", contactId).bind("p", platform).bind("h", handle).bind("now", now).execute() == 1;
        if (!inserted) {
            // Someone else created this person a moment ago: use theirs.
            h.createUpdate("delete from contacts where user_id = :u and id = :c").bind("u", userId).bind("c", contactId).execute();
            return new Resolved(contactOfHandle(h, userId, platform, handle).orElseThrow(), platform, false);
        }
        return new Resolved(contactId, platform, true);
    }

    public long insertContact(Handle h, long userId, String displayName, String notes, List<String> tags, Integer cadenceDays, Instant now) {
        long id = h.createUpdate("""
                        insert into contacts (user_id, display_name, notes, tags, cadence_days, balance_at, created_at, updated_at)
                        values (:u, :name, :notes, :tags, :cadence, :now, :now, :now)""")
                .bind("u", userId).bind("name", displayName).bind("notes", notes).bind("tags", tags.toArray(String[]::new))
                .bind("cadence", cadenceDays).bind("now", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return id;
    }

    public Optional<Long> contactOfHandle(Handle h, long userId, String platform, String handle) {
        return h.createQuery("select contact_id from handles where user_id = :u and platform = :p and handle = :h")
                .bind("u", userId).bind("p", platform).bind("h", handle).mapTo(Long.class).findOne();
    }

    public boolean isIdentity(Handle h, long userId, String platform, String handle) {
        return h.createQuery("select count(*) from identities where user_id = :u and platform = :p and handle = :h")
                .bind("u", userId).bind("p", platform).bind("h", handle).mapTo(Integer.class).one() > 0;
    }

    // ------------------------------------------------------------------------------------------------ writes

    /** A validated new interaction. */
    public record NewInteraction(PersonRef person, String direction, String kind, String url, String threadUrl,
                                 Instant occurredAt, String note, String source, String externalId) {}

    /** The stored row. */
    public record Interaction(long id, long contactId, String direction, String kind, String platform, String url,
                              String threadUrl, Instant occurredAt, String note, String source, String externalId,
                              Instant createdAt) {}

    /** An interaction and whether this call created it (false: an earlier one with the same externalId). */
    public record Recorded(Interaction interaction, boolean created) {}

    /** Stores one interaction and brings the person's ledger up to date, in the caller's transaction. */
    public Recorded record(Handle h, long userId, Settings settings, NewInteraction in, Instant now) {
        Resolved person = resolve(h, userId, settings, in.person(), now);
        String platform = person.platform() != null ? person.platform() : platformOfUrl(in.url(), settings);
        if (in.externalId() != null) {
            Optional<Interaction> earlier = byExternalId(h, userId, platform, in.externalId());
            if (earlier.isPresent()) return new Recorded(earlier.get(), false);
        }
        Optional<Long> id = h.createUpdate("""
                        insert into interactions (user_id, contact_id, direction, kind, platform, url, thread_url, occurred_at,
                                                  note, source, external_id, created_at)
                        values (:u, :c, :direction, :kind, :platform, :url, :threadUrl, :occurredAt, :note, :source, :externalId, :now)
                        on conflict do nothing""")
                .bind("u", userId).bind("c", person.contactId()).bind("direction", in.direction()).bind("kind", in.kind())
                .bind("platform", platform).bind("url", in.url()).bind("threadUrl", in.threadUrl())
                .bind("occurredAt", in.occurredAt()).bind("note", in.note()).bind("source", in.source())
                .bind("externalId", in.externalId()).bind("now", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).findOne();
        if (id.isEmpty()) {
            // A concurrent call stored the same externalId first.
            return new Recorded(byExternalId(h, userId, platform, in.externalId()).orElseThrow(), false);
        }
        applyInteraction(h, userId, settings, person.contactId(), id.get(), in.direction(), in.kind(),
                in.url() != null ? in.url() : in.threadUrl(), in.occurredAt(), now);
        return new Recorded(interaction(h, userId, id.get()).orElseThrow(), true);
    }

    private String platformOfUrl(String url, Settings settings) {
        if (url == null) return null;
        try {
            return links.parse(url, settings.mastodonInstanceSet()).map(l -> l.platform().id()).orElse(null);
        } catch (MalformedUrlException e) {
            return null;
        }
    }

    /** Incremental update for one new interaction: O(1) balance update, reply obligations, windows. */
    void applyInteraction(Handle h, long userId, Settings s, long contactId, long interactionId, String direction, String kind,
                          String url, Instant t, Instant now) {
        double weight = ("inbound".equals(direction) ? 1 : -1) * s.weight(kind);
        h.createUpdate("""
                        update contacts set
                          balance = case when :t >= balance_at
                                         then balance * power(2.0, greatest(-1000.0, -extract(epoch from (:t - balance_at)) / :hs)) + :w
                                         else balance + :w * power(2.0, greatest(-1000.0, -extract(epoch from (balance_at - :t)) / :hs)) end,
                          balance_at = greatest(balance_at, :t),
                          last_interaction_at = greatest(last_interaction_at, :t),
                          updated_at = :now
                        where user_id = :u and id = :c""")
                .bind("t", t).bind("hs", halfLifeSeconds(s)).bind("w", weight).bind("now", now)
                .bind("u", userId).bind("c", contactId).execute();
        if ("inbound".equals(direction) && REPLY_KINDS.contains(kind)) {
            h.createUpdate("""
                            insert into obligations (user_id, contact_id, type, interaction_id, state, opened_at, resolved_at, url, created_at)
                            select :u, :c, 'reply', :i, case when r.at is null then 'open' else 'resolved' end, cast(:t as timestamptz), r.at, :url, cast(:now as timestamptz)
                            from (select min(occurred_at) at from interactions
                                  where user_id = :u and contact_id = :c and direction = 'outbound' and kind in %s and occurred_at >= :t) r"""
                            .formatted(RESOLVER_KINDS))
                    .bind("u", userId).bind("c", contactId).bind("i", interactionId).bind("t", t).bind("url", url).bind("now", now)
                    .execute();
        } else if ("outbound".equals(direction) && REPLY_KINDS.contains(kind)) {
            h.createUpdate("""
                            update obligations set state = 'resolved', resolved_at = :t, snoozed_until = null
                            where user_id = :u and contact_id = :c and type = 'reply' and state in ('open', 'snoozed') and opened_at <= :t""")
                    .bind("u", userId).bind("c", contactId).bind("t", t).execute();
        }
        syncWindows(h, userId, s, contactId, now);
    }

    /** Recomputes everything derived for one contact, or for all of the user's contacts when {@code contactId} is null. */
    public void recompute(Handle h, long userId, Settings s, Long contactId, Instant now) {
        String only = contactId == null ? "" : " and c2.id = :c";
        h.createUpdate("""
                        with m as (select contact_id, max(occurred_at) at from interactions where user_id = :u %s group by contact_id),
                        agg as (select i.contact_id, m.at,
                                       sum((case when i.direction = 'inbound' then 1.0 else -1.0 end)
                                           * coalesce((cast(:weights as jsonb) ->> i.kind)::float8, 0)
                                           * power(2.0, greatest(-1000.0, -extract(epoch from (m.at - i.occurred_at)) / :hs))) b
                                from interactions i join m on m.contact_id = i.contact_id
                                where i.user_id = :u group by i.contact_id, m.at)
                        update contacts c set balance = coalesce(agg.b, 0), balance_at = coalesce(agg.at, c2.created_at),
                                              last_interaction_at = agg.at
                        from contacts c2 left join agg on agg.contact_id = c2.id
                        where c.id = c2.id and c2.user_id = :u %s"""
                        .formatted(contactId == null ? "" : "and contact_id = :c", only))
                .bind("u", userId).bind("c", contactId).bind("weights", weightsJson(s)).bind("hs", halfLifeSeconds(s))
                .execute();
        h.createUpdate("""
                        update obligations o set
                          state = case when r.at is not null then 'resolved' when o.state = 'resolved' then 'open' else o.state end,
                          resolved_at = r.at
                        from (select o2.id, (select min(i.occurred_at) from interactions i
                                             where i.user_id = :u and i.contact_id = o2.contact_id and i.direction = 'outbound'
                                               and i.kind in %s and i.occurred_at >= o2.opened_at) at
                              from obligations o2 where o2.user_id = :u and o2.type = 'reply' and o2.state <> 'dismissed' %s) r
                        where o.id = r.id"""
                        .formatted(RESOLVER_KINDS, contactId == null ? "" : "and o2.contact_id = :c"))
                .bind("u", userId).bind("c", contactId).execute();
        syncWindows(h, userId, s, contactId, now);
    }

    /** Brings give-back and keep-in-touch rows in line with the contact's balance, cadence and last touch. */
    void syncWindows(Handle h, long userId, Settings s, Long contactId, Instant now) {
        String onlyC = contactId == null ? "" : " and c.id = :c";
        String onlyO = contactId == null ? "" : " and o.contact_id = :c";
        // When the decaying balance will fall below the threshold (null: it is below already).
        h.createUpdate("""
                        update contacts c set give_back_until = case when c.balance >= :threshold and c.balance > 0
                            then c.balance_at + make_interval(secs => :hs * ln(c.balance / :threshold) / ln(2.0)) end
                        where c.user_id = :u""" + onlyC)
                .bind("u", userId).bind("c", contactId).bind("threshold", s.giveBackThreshold()).bind("hs", halfLifeSeconds(s)).execute();
        // Give-back: an active episode follows the window, or ends now when there is none.
        h.createUpdate("""
                        update obligations o set
                          closes_at = case when c.give_back_until > :now then c.give_back_until else cast(:now as timestamptz) end,
                          state = case when c.give_back_until > :now or o.state = 'dismissed' then o.state else 'resolved' end,
                          resolved_at = case when c.give_back_until > :now then null else cast(:now as timestamptz) end
                        from contacts c
                        where o.contact_id = c.id and o.user_id = :u and o.type = 'giveBack' and o.state <> 'resolved'
                          and (o.closes_at is null or o.closes_at > :now)""" + onlyO)
                .bind("u", userId).bind("c", contactId).bind("now", now).execute();
        h.createUpdate("""
                        insert into obligations (user_id, contact_id, type, state, opened_at, closes_at, created_at)
                        select c.user_id, c.id, 'giveBack', 'open', cast(:now as timestamptz), c.give_back_until, cast(:now as timestamptz) from contacts c
                        where c.user_id = :u and c.give_back_until > :now %s
                          and not exists (select 1 from obligations o where o.contact_id = c.id and o.type = 'giveBack'
                                          and o.state <> 'resolved' and (o.closes_at is null or o.closes_at > :now))"""
                        .formatted(onlyC))
                .bind("u", userId).bind("c", contactId).bind("now", now).execute();
        // Keep-in-touch: a due episode ends when the person was touched after it opened (or the cadence went away);
        // one not yet due moves with the due date; a contact with a cadence always has one ahead.
        String due = "coalesce(c.last_interaction_at, c.created_at) + make_interval(days => c.cadence_days)";
        h.createUpdate("""
                        update obligations o set closes_at = :now, resolved_at = :now,
                          state = case when o.state = 'dismissed' then 'dismissed' else 'resolved' end
                        from contacts c
                        where o.contact_id = c.id and o.user_id = :u and o.type = 'keepInTouch' and o.state <> 'resolved'
                          and o.closes_at is null and o.opened_at <= :now
                          and (c.cadence_days is null or %s > o.opened_at)""".formatted(due) + onlyO)
                .bind("u", userId).bind("c", contactId).bind("now", now).execute();
        h.createUpdate("""
                        delete from obligations o using contacts c
                        where o.contact_id = c.id and o.user_id = :u and o.type = 'keepInTouch' and o.state <> 'resolved'
                          and o.closes_at is null and o.opened_at > :now and c.cadence_days is null""" + onlyO)
                .bind("u", userId).bind("c", contactId).bind("now", now).execute();
        h.createUpdate("""
                        update obligations o set opened_at = greatest(%s, cast(:now as timestamptz))
                        from contacts c
                        where o.contact_id = c.id and o.user_id = :u and o.type = 'keepInTouch' and o.state <> 'resolved'
                          and o.closes_at is null and o.opened_at > :now and c.cadence_days is not null""".formatted(due) + onlyO)
                .bind("u", userId).bind("c", contactId).bind("now", now).execute();
        h.createUpdate("""
                        insert into obligations (user_id, contact_id, type, state, opened_at, created_at)
                        select c.user_id, c.id, 'keepInTouch', 'open', %s, cast(:now as timestamptz) from contacts c
                        where c.user_id = :u and c.cadence_days is not null %s
                          and not exists (select 1 from obligations o where o.contact_id = c.id and o.type = 'keepInTouch'
                                          and o.state <> 'resolved' and o.closes_at is null)""".formatted(due, onlyC))
                .bind("u", userId).bind("c", contactId).bind("now", now).execute();
    }

    // ------------------------------------------------------------------------------------------------ reads

    public Optional<Interaction> interaction(Handle h, long userId, long id) {
        return h.createQuery("select * from interactions where user_id = :u and id = :id")
                .bind("u", userId).bind("id", id).map(INTERACTION).findOne();
    }

    private Optional<Interaction> byExternalId(Handle h, long userId, String platform, String externalId) {
        return h.createQuery("select * from interactions where user_id = :u and coalesce(platform, '') = :p and external_id = :e")
                .bind("u", userId).bind("p", platform == null ? "" : platform).bind("e", externalId)
                .map(INTERACTION).findOne();
    }

    /** Summaries of the given contacts (unknown ids are left out), in two queries however many there are. */
    public Map<Long, PersonSummary> summaries(Handle h, long userId, Settings s, Collection<Long> contactIds, Instant now) {
        Map<Long, PersonSummary> out = new LinkedHashMap<>();
        if (contactIds.isEmpty()) return out;
        Long[] ids = contactIds.toArray(Long[]::new);
        record Row(long id, String displayName, double balance, Instant balanceAt, Instant lastInteractionAt) {}
        List<Row> contacts = h.createQuery("""
                        select id, display_name, balance, balance_at, last_interaction_at from contacts
                        where user_id = :u and id = any(:ids)""")
                .bind("u", userId).bind("ids", ids).map((rs, ctx) -> new Row(rs.getLong("id"), rs.getString("display_name"),
                        rs.getDouble("balance"), rs.getObject("balance_at", java.time.OffsetDateTime.class).toInstant(),
                        Optional.ofNullable(rs.getObject("last_interaction_at", java.time.OffsetDateTime.class))
                                .map(java.time.OffsetDateTime::toInstant).orElse(null))).list();
        Map<Long, List<ObligationView>> open = new HashMap<>();
        for (ObligationView o : openObligations(h, userId, s, ids, now)) {
            open.computeIfAbsent(o.contactId(), k -> new ArrayList<>()).add(o);
        }
        for (Row c : contacts) {
            List<ObligationView> list = open.getOrDefault(c.id(), List.of());
            int replies = 0;
            boolean giveBack = false, keepInTouch = false, overdue = false;
            for (ObligationView o : list) {
                switch (o.type()) {
                    case "reply" -> replies++;
                    case "giveBack" -> giveBack = true;
                    default -> keepInTouch = true;
                }
                overdue |= o.overdue();
            }
            String color = list.isEmpty() ? "none" : overdue ? "red" : replies > 0 ? "amber" : "blue";
            List<PersonSummary.Brief> top = list.stream().limit(5)
                    .map(o -> new PersonSummary.Brief(o.id(), o.type(), o.reason(), o.url(), o.openedAt(), o.overdue())).toList();
            out.put(c.id(), new PersonSummary(c.id(), c.displayName(), round(decayed(c.balance(), c.balanceAt(), s, now)),
                    c.lastInteractionAt(), new PersonSummary.Owed(replies, giveBack, keepInTouch), top,
                    new PersonSummary.Badge(list.isEmpty() ? "" : Integer.toString(list.size()), color)));
        }
        return out;
    }

    /** Open obligations of the given contacts, most urgent first. */
    private List<ObligationView> openObligations(Handle h, long userId, Settings s, Long[] contactIds, Instant now) {
        return h.createQuery(("select o.*, c.display_name contact_name, c.cadence_days, i.kind, " + EFFECTIVE_STATE + " effective, "
                        + URGENCY_RANK + " rank from obligations o join contacts c on c.id = o.contact_id "
                        + "left join interactions i on i.id = o.interaction_id "
                        + "where o.user_id = :u and o.contact_id = any(:ids) and " + OPEN_AT_NOW
                        + " order by o.contact_id, rank, o.opened_at, o.id"))
                .bind("u", userId).bind("ids", contactIds).bind("now", now).bind("overdueBefore", overdueBefore(s, now))
                .map((rs, ctx) -> view(rs, s, now)).list();
    }

    /** Maps a row of `o.*, contact_name, cadence_days, kind, effective` to the API view. */
    public static ObligationView view(java.sql.ResultSet rs, Settings s, Instant now) throws java.sql.SQLException {
        String type = rs.getString("type");
        Instant opened = rs.getObject("opened_at", java.time.OffsetDateTime.class).toInstant();
        String state = rs.getString("effective");
        boolean overdue = "reply".equals(type) && "open".equals(state) && !opened.isAfter(overdueBefore(s, now));
        Instant snoozed = "snoozed".equals(state) ? instant(rs, "snoozed_until") : null;
        Instant resolved = "resolved".equals(state)
                ? Optional.ofNullable(instant(rs, "resolved_at")).orElse(instant(rs, "closes_at")) : null;
        return new ObligationView(rs.getLong("id"), type, state, overdue, rs.getLong("contact_id"), rs.getString("contact_name"),
                reason(type, rs.getString("kind"), (Integer) rs.getObject("cadence_days")), rs.getString("url"), opened, snoozed, resolved);
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        java.time.OffsetDateTime t = rs.getObject(column, java.time.OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static String reason(String type, String kind, Integer cadenceDays) {
        return switch (type) {
            case "reply" -> switch (kind == null ? "" : kind) {
                case "comment" -> "commented on your post";
                case "reply" -> "replied to you";
                case "mention" -> "mentioned you";
                case "message" -> "sent you a message";
                default -> "is waiting for your reply";
            };
            case "giveBack" -> "gave you a lot lately and got little back";
            default -> cadenceDays == null ? "you have not been in touch for a while"
                    : "no contact in over " + cadenceDays + (cadenceDays == 1 ? " day" : " days");
        };
    }

    public static Instant overdueBefore(Settings s, Instant now) {
        return now.minus(Duration.ofHours(s.replyWindowHours()));
    }

    public static double decayed(double balance, Instant at, Settings s, Instant now) {
        double seconds = Duration.between(at, now).toMillis() / 1000.0;
        return balance * Math.pow(2, -seconds / halfLifeSeconds(s));
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    static double halfLifeSeconds(Settings s) {
        return s.halfLifeDays() * 86_400.0;
    }

    private String weightsJson(Settings s) {
        Map<String, Double> w = new LinkedHashMap<>();
        for (String kind : Settings.KINDS) w.put(kind, s.weight(kind));
        try {
            return json.writeValueAsString(w);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
