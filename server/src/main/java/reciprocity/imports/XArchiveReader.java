package reciprocity.imports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An X (Twitter) archive: `account.js` says who you are; in `tweets.js` (`tweet.js`, `tweets-part1.js`, …) your
 * replies are outbound replies, the people you mention outbound mentions and `RT @x:` retweets outbound shares;
 * `direct-messages.js` holds DMs both ways. Files are read in that order, so the numeric user ids that tweets pair with
 * screen names are known when the DMs (which name people only by id) come. A DM partner the archive never names is an
 * error entry "unknown user id". Only the ids of DM partners are remembered (found by a first look at the DM files), so
 * the memory this takes follows the number of conversations, not of people ever mentioned.
 */
final class XArchiveReader implements FormatReader {
    private static final Pattern YTD = Pattern.compile("window\\.YTD\\.([a-z_]+)\\.part\\d+\\s*=");
    private static final Pattern RETWEET = Pattern.compile("^RT @([A-Za-z0-9_]{1,15}):");
    /** DM partners whose handle is looked for; beyond this many, further partners are reported as unknown ids. */
    private static final int MAX_PARTNERS = 100_000;

    private enum Role { ACCOUNT, TWEETS, DMS }

    private String me;
    private String myId;
    private final Map<String, String> handleOfId = new HashMap<>();
    private final Set<String> partners = new HashSet<>();

    @Override
    public void read(Archive archive, Known known, Sink sink) throws IOException {
        Map<Role, List<Archive.Part>> parts = new HashMap<>();
        for (Archive.Part part : archive.parts()) {
            Role role = role(archive, part);
            if (role != null) parts.computeIfAbsent(role, r -> new ArrayList<>()).add(part);
        }
        if (parts.isEmpty()) {
            if (archive.damage() != null) throw new ImportFailed(archive.damage());
            throw new ImportFailed(archive.single()
                    ? "This is not an X archive file: expected account.js, tweets.js or direct-messages.js (starting `window.YTD.tweets.part0 = [`)"
                    : "The archive holds no account.js, tweets.js or direct-messages.js; is it an X archive?");
        }
        Set<String> mine = known.of("x");
        if (mine.size() == 1) me = mine.iterator().next();
        for (Archive.Part p : sorted(parts.get(Role.DMS))) partners(archive, p);
        for (Archive.Part p : sorted(parts.get(Role.ACCOUNT))) account(archive, p, sink);
        for (Archive.Part p : sorted(parts.get(Role.TWEETS))) tweets(archive, p, known, sink);
        for (Archive.Part p : sorted(parts.get(Role.DMS))) dms(archive, p, sink);
        if (archive.damage() != null) sink.accept(Entry.error("archive", null, archive.damage()));
    }

    private static List<Archive.Part> sorted(List<Archive.Part> parts) {
        if (parts == null) return List.of();
        return parts.stream().sorted(Comparator.comparing(Archive.Part::path)).toList();
    }

    private Role role(Archive archive, Archive.Part part) throws IOException {
        String var;
        if (archive.single()) {
            Matcher m = YTD.matcher(archive.peek(part, 200));
            if (!m.find()) return null;
            var = m.group(1);
        } else {
            String n = part.name();
            if (!n.endsWith(".js")) return null;
            var = n.substring(0, n.length() - 3).replaceAll("-part\\d+$", "").replace('-', '_');
        }
        return switch (var) {
            case "account" -> Role.ACCOUNT;
            case "tweets", "tweet" -> Role.TWEETS;
            case "direct_messages", "direct_message" -> Role.DMS;
            default -> null;
        };
    }

    /** The JSON after `window.YTD.x.part0 = `; a file with no such prefix may be the bare JSON array. */
    private static JsonParser open(InputStream in, String file) throws IOException {
        in.mark(4096);
        byte[] head = in.readNBytes(4096);
        int eq = -1;
        for (int i = 0; i < head.length; i++) {
            if (head[i] == '=') {
                eq = i;
                break;
            }
            if (head[i] == '[' || head[i] == '{') break;
        }
        in.reset();
        if (eq >= 0) in.skipNBytes(eq + 1);
        JsonParser p = JsonStream.parser(in);
        JsonToken t;
        try {
            t = p.nextToken();
        } catch (JsonProcessingException e) {
            throw new ImportFailed(file + " is not an X archive file: " + FormatReader.clip(e.getOriginalMessage(), 200));
        }
        if (t != JsonToken.START_ARRAY) throw new ImportFailed(file + " is not an X archive file (expected `window.YTD.….part0 = [`)");
        return p;
    }

    private void account(Archive archive, Archive.Part part, Sink sink) throws IOException {
        String file = name(archive, part, "account.js");
        try (InputStream in = archive.open(part); JsonParser p = open(in, file)) {
            JsonStream.eachElement(p, file, sink, (node, index, line) -> {
                JsonNode a = node.has("account") ? node.get("account") : node;
                String username = JsonStream.text(a, "username");
                if (username != null && !username.isBlank()) {
                    me = username.toLowerCase(Locale.ROOT);
                    sink.identity("x", me);
                }
                String id = JsonStream.text(a, "accountId");
                if (id != null) {
                    myId = id;
                    if (me != null) handleOfId.put(id, me);
                }
            });
        }
    }

    private void tweets(Archive archive, Archive.Part part, Known known, Sink sink) throws IOException {
        String file = name(archive, part, "tweets.js");
        try (InputStream in = archive.open(part); JsonParser p = open(in, file)) {
            JsonStream.eachElement(p, file, sink, (node, index, line) -> tweet(node.has("tweet") ? node.get("tweet") : node,
                    file + "[" + index + "]", line, sink));
        }
    }

    private void tweet(JsonNode t, String entry, long line, Sink sink) {
        String id = JsonStream.text(t, "id_str") != null ? JsonStream.text(t, "id_str") : JsonStream.text(t, "id");
        if (id == null) {
            sink.accept(Entry.error(entry, line, "the tweet has no id_str"));
            return;
        }
        String replyTo = lower(JsonStream.text(t, "in_reply_to_screen_name"));
        String replyToId = JsonStream.text(t, "in_reply_to_user_id_str");
        if (replyTo != null && replyToId != null) learn(replyToId, replyTo);
        List<String> mentioned = new ArrayList<>();
        JsonNode mentions = t.path("entities").path("user_mentions");
        for (JsonNode m : mentions) {
            String h = lower(JsonStream.text(m, "screen_name"));
            if (h == null) continue;
            mentioned.add(h);
            String mid = JsonStream.text(m, "id_str");
            if (mid != null) learn(mid, h);
        }
        Instant at;
        try {
            at = Dates.parse(JsonStream.text(t, "created_at"));
        } catch (IllegalArgumentException e) {
            if (replyTo != null || !mentioned.isEmpty()) sink.accept(Entry.error(entry, line, "created_at: " + e.getMessage()));
            return;
        }
        String url = "https://x.com/" + (me != null ? me : "i/web") + "/status/" + id;
        String text = JsonStream.text(t, "full_text") != null ? JsonStream.text(t, "full_text") : JsonStream.text(t, "text");
        String retweeted = null;
        if (text != null && text.startsWith("RT @")) {
            Matcher m = RETWEET.matcher(text);
            if (m.find()) retweeted = m.group(1).toLowerCase(Locale.ROOT);
        }
        if (retweeted != null) {
            if (!retweeted.equals(me)) {
                sink.accept(Entry.interaction(entry, line, FormatReader.create(FormatReader.handle("x", retweeted), "outbound", "share",
                        url, null, at, null, "import:x-archive", "tweet:" + id + ":share")));
            }
            return;
        }
        if (replyTo != null && !replyTo.equals(me)) {
            String statusId = JsonStream.text(t, "in_reply_to_status_id_str");
            sink.accept(Entry.interaction(entry, line, FormatReader.create(FormatReader.handle("x", replyTo), "outbound", "reply", url,
                    statusId == null ? null : "https://x.com/" + replyTo + "/status/" + statusId, at, FormatReader.clip(text, 280),
                    "import:x-archive", "tweet:" + id + ":reply")));
        }
        for (String h : new LinkedHashSet<>(mentioned)) {
            if (h.equals(me) || h.equals(replyTo)) continue;
            sink.accept(Entry.interaction(entry, line, FormatReader.create(FormatReader.handle("x", h), "outbound", "mention", url, null,
                    at, FormatReader.clip(text, 280), "import:x-archive", "tweet:" + id + ":mention:" + h)));
        }
    }

    private void learn(String id, String handle) {
        if (partners.contains(id)) handleOfId.put(id, handle);
    }

    /** The user ids the DMs name (senders and recipients), whose handles the tweets may tell. */
    private void partners(Archive archive, Archive.Part part) throws IOException {
        try (InputStream in = archive.open(part); JsonParser p = open(in, name(archive, part, "direct-messages.js"))) {
            JsonToken t;
            while ((t = p.nextToken()) != null && partners.size() < MAX_PARTNERS) {
                if (t == JsonToken.FIELD_NAME && ("senderId".equals(p.currentName()) || "recipientId".equals(p.currentName()))) {
                    if (p.nextToken() == JsonToken.VALUE_STRING) partners.add(p.getText());
                }
            }
        } catch (ImportFailed | JsonProcessingException e) {
            // reading the DMs themselves reports what is wrong with the file
        } catch (IOException e) {
            // a file cut short: the partners named before the cut are enough
        }
    }

    private void dms(Archive archive, Archive.Part part, Sink sink) throws IOException {
        String file = name(archive, part, "direct-messages.js");
        if (myId == null) myId = inferMyId(archive, part, file);
        if (myId == null) {
            sink.accept(Entry.error(file, null, "cannot tell which side of the conversations is you; include account.js (the whole archive zip)"));
            return;
        }
        try (InputStream in = archive.open(part); JsonParser p = open(in, file)) {
            JsonStream.eachElement(p, file, sink, (node, index, line) -> {
                JsonNode conv = node.has("dmConversation") ? node.get("dmConversation") : node;
                String conversation = JsonStream.text(conv, "conversationId");
                int k = 0;
                for (JsonNode wrapper : conv.path("messages")) {
                    JsonNode m = wrapper.get("messageCreate");
                    String entry = file + "[" + index + "].messages[" + k++ + "]";
                    if (m == null) continue;
                    message(m, conversation, entry, line, sink);
                }
            });
        }
    }

    private void message(JsonNode m, String conversation, String entry, long line, Sink sink) {
        String sender = JsonStream.text(m, "senderId");
        String recipient = JsonStream.text(m, "recipientId");
        String id = JsonStream.text(m, "id");
        if (id == null || sender == null || recipient == null) {
            sink.accept(Entry.error(entry, line, "the message has no id, senderId or recipientId"));
            return;
        }
        boolean outbound = sender.equals(myId);
        String other = outbound ? recipient : sender;
        String handle = handleOfId.get(other);
        if (handle == null) {
            sink.accept(Entry.error(entry, line, "unknown user id " + other + ": the archive never names this account (X archives name DM partners only by id)"));
            return;
        }
        Instant at;
        try {
            at = Dates.parse(JsonStream.text(m, "createdAt"));
        } catch (IllegalArgumentException e) {
            sink.accept(Entry.error(entry, line, "createdAt: " + e.getMessage()));
            return;
        }
        sink.accept(Entry.interaction(entry, line, FormatReader.create(FormatReader.handle("x", handle), outbound ? "outbound" : "inbound",
                "message", null, conversation == null ? null : "https://x.com/messages/" + conversation, at,
                FormatReader.clip(JsonStream.text(m, "text"), 280), "import:x-archive", "dm:" + id)));
    }

    /** Without account.js: you are the one id in every one-to-one conversation id (`a-b`). */
    private static String inferMyId(Archive archive, Archive.Part part, String file) throws IOException {
        Set<String> common = null;
        try (InputStream in = archive.open(part); JsonParser p = open(in, file)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME && "conversationId".equals(p.currentName())) {
                    p.nextToken();
                    Set<String> ids = Set.of(p.getText().split("-"));
                    if (common == null) common = new HashSet<>(ids);
                    else common.retainAll(ids);
                    if (common.isEmpty()) return null;
                }
            }
        } catch (JsonProcessingException e) {
            // a broken file: decide from what could be read
        }
        return common != null && common.size() == 1 ? common.iterator().next() : null;
    }

    private static String name(Archive archive, Archive.Part part, String fallback) {
        return archive.single() ? fallback : part.path();
    }

    private static String lower(String s) {
        return s == null || s.isBlank() ? null : s.toLowerCase(Locale.ROOT);
    }
}
