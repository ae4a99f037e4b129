package reciprocity.imports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Mastodon account archive (.zip or .tar.gz): `actor.json` says who you are (`preferredUsername@host`); in
 * `outbox.json` each Create/Note that is `inReplyTo` someone else's status is an outbound reply to them (known from
 * the Mention tags, or from the status URL), each other mentioned account an outbound mention, and each Announce (boost)
 * an outbound share.
 */
final class MastodonReader implements FormatReader {
    /** `https://host/users/name/statuses/1` and `https://host/@name/1`. */
    private static final Pattern STATUS = Pattern.compile("^https?://([^/]+)/(?:users/([^/]+)/statuses|@([^/]+))/[^/]+");
    private static final Pattern ACTOR = Pattern.compile("^https?://([^/]+)/(?:users/|@|u/)?([^/?#]+)/?$");

    private String me;
    private String myActor;

    @Override
    public void read(Archive archive, Known known, Sink sink) throws IOException {
        Archive.Part actor = null, outbox = null;
        for (Archive.Part part : archive.parts()) {
            String role = archive.single() ? sniff(archive.peek(part, 4096)) : part.name();
            if ("actor.json".equals(role)) actor = part;
            if ("outbox.json".equals(role)) outbox = part;
        }
        if (actor == null && outbox == null) {
            if (archive.damage() != null) throw new ImportFailed(archive.damage());
            throw new ImportFailed(archive.single() ? "This is not a Mastodon archive file: expected outbox.json (an OrderedCollection) or actor.json (a Person)"
                    : "The archive holds no outbox.json or actor.json; is it a Mastodon archive?");
        }
        if (known.of("mastodon").size() == 1) me = known.of("mastodon").iterator().next();
        if (actor != null) actor(archive, actor, sink);
        if (outbox != null) outbox(archive, outbox, sink);
        if (archive.damage() != null) sink.accept(Entry.error("archive", null, archive.damage()));
    }

    private static String sniff(String head) {
        if (head.contains("\"OrderedCollection\"") && head.contains("orderedItems")) return "outbox.json";
        if (head.contains("\"Person\"") || head.contains("\"preferredUsername\"")) return "actor.json";
        return null;
    }

    private void actor(Archive archive, Archive.Part part, Sink sink) throws IOException {
        JsonNode actor;
        try (InputStream in = archive.open(part)) {
            actor = JsonStream.TREES.readTree(in);
        } catch (JsonProcessingException e) {
            sink.accept(Entry.error("actor.json", null, "actor.json is not readable JSON: " + FormatReader.clip(e.getOriginalMessage(), 200)));
            return;
        }
        String id = JsonStream.text(actor, "id");
        String user = JsonStream.text(actor, "preferredUsername");
        if (id == null || user == null) return;
        myActor = id;
        me = (user + "@" + URI.create(id).getHost()).toLowerCase(Locale.ROOT);
        sink.identity("mastodon", me);
    }

    private void outbox(Archive archive, Archive.Part part, Sink sink) throws IOException {
        String file = archive.single() ? "outbox.json" : part.path();
        try (InputStream in = archive.open(part); JsonParser p = JsonStream.parser(in)) {
            try {
                if (!JsonStream.toField(p, "orderedItems") || p.currentToken() != JsonToken.START_ARRAY) {
                    throw new ImportFailed(file + " has no orderedItems array; is it a Mastodon outbox?");
                }
            } catch (JsonProcessingException e) {
                throw new ImportFailed(file + " is not JSON: " + FormatReader.clip(e.getOriginalMessage(), 200));
            }
            JsonStream.eachElement(p, file, sink, (item, index, line) -> activity(item, file + "[" + index + "]", line, sink));
        }
    }

    private void activity(JsonNode item, String entry, long line, Sink sink) {
        String type = JsonStream.text(item, "type");
        String actor = JsonStream.text(item, "actor");
        if (myActor == null && actor != null) {
            myActor = actor;
            if (me == null) me = handleOfActor(actor, null);
        }
        Instant at;
        try {
            at = Dates.parse(JsonStream.text(item, "published"));
        } catch (IllegalArgumentException e) {
            sink.accept(Entry.error(entry, line, "published: " + e.getMessage()));
            return;
        }
        if ("Announce".equals(type)) {
            String boosted = item.get("object") != null && item.get("object").isTextual() ? item.get("object").asText() : null;
            String author = boosted == null ? null : authorOfStatus(boosted);
            if (author != null && !author.equals(me)) {
                sink.accept(Entry.interaction(entry, line, FormatReader.create(FormatReader.handle("mastodon", author), "outbound", "share",
                        boosted, null, at, null, "import:mastodon-archive", JsonStream.text(item, "id"))));
            }
            return;
        }
        JsonNode note = item.get("object");
        if (!"Create".equals(type) || note == null || !note.isObject()) return;
        String statusId = JsonStream.text(note, "id");
        if (statusId == null) {
            sink.accept(Entry.error(entry, line, "the status has no id"));
            return;
        }
        String url = JsonStream.text(note, "url");
        String content = JsonStream.text(note, "content");
        String text = content == null ? null : content.replaceAll("<[^>]*>", "").replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&");
        Map<String, String> mentions = new LinkedHashMap<>(); // actor URL -> handle
        for (JsonNode tag : note.path("tag")) {
            if (!"Mention".equals(JsonStream.text(tag, "type"))) continue;
            String href = JsonStream.text(tag, "href");
            String handle = handleOfMention(JsonStream.text(tag, "name"), href);
            if (handle != null) mentions.put(href == null ? handle : href, handle);
        }
        String inReplyTo = JsonStream.text(note, "inReplyTo");
        String target = null;
        if (inReplyTo != null && (myActor == null || !inReplyTo.startsWith(myActor + "/"))) {
            for (Map.Entry<String, String> m : mentions.entrySet()) {
                if (inReplyTo.startsWith(m.getKey() + "/")) target = m.getValue();
            }
            if (target == null) target = authorOfStatus(inReplyTo);
            if (target != null && !target.equals(me)) {
                sink.accept(Entry.interaction(entry, line, FormatReader.create(FormatReader.handle("mastodon", target), "outbound", "reply",
                        url, inReplyTo, at, FormatReader.clip(text, 500), "import:mastodon-archive", statusId + "#reply")));
            } else if (target == null) {
                sink.accept(Entry.error(entry, line, "cannot tell whose status " + inReplyTo + " this replies to"));
            }
        }
        for (String handle : new java.util.LinkedHashSet<>(mentions.values())) {
            if (handle.equals(me) || handle.equals(target)) continue;
            sink.accept(Entry.interaction(entry, line, FormatReader.create(FormatReader.handle("mastodon", handle), "outbound", "mention",
                    url, inReplyTo, at, FormatReader.clip(text, 500), "import:mastodon-archive", statusId + "#mention:" + handle)));
        }
    }

    /** `@bob@example.social` as written in the tag; a local `@bob` takes the host of its profile URL. */
    private static String handleOfMention(String name, String href) {
        String n = name == null ? "" : name.strip();
        if (n.startsWith("@")) n = n.substring(1);
        if (n.contains("@")) return n.toLowerCase(Locale.ROOT);
        return href == null ? null : handleOfActor(href, n.isEmpty() ? null : n);
    }

    private static String handleOfActor(String actorUrl, String user) {
        Matcher m = ACTOR.matcher(actorUrl);
        if (!m.find()) return null;
        return ((user != null ? user : m.group(2)) + "@" + m.group(1)).toLowerCase(Locale.ROOT);
    }

    private static String authorOfStatus(String statusUrl) {
        Matcher m = STATUS.matcher(statusUrl);
        if (!m.find()) return null;
        String user = m.group(2) != null ? m.group(2) : m.group(3);
        return (user.contains("@") ? user : user + "@" + m.group(1)).toLowerCase(Locale.ROOT);
    }
}
