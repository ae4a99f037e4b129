package reciprocity.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import reciprocity.platforms.LinkParser;
import reciprocity.platforms.ParsedLink;
import reciprocity.platforms.Platform;

/**
 * A LinkedIn data export (.zip or single CSVs), read in this order: `Connections.csv` → contacts with their profile
 * URL; `Invitations.csv` INCOMING → inbound follow; `Endorsement_Received_Info.csv` → inbound endorsement;
 * `Recommendations_Received.csv` → inbound recommendation from a person known only by name (the contact of that
 * name, created when there is none); `messages.csv` → messages both ways. You are the profile the export shows on your
 * side (the invitee of incoming and inviter of outgoing invitations, or the one profile in every message).
 */
final class LinkedInReader implements FormatReader {
    private static final String SOURCE = "import:linkedin-export";
    private static final List<String> ORDER = List.of("connections.csv", "invitations.csv", "endorsement_received_info.csv",
            "recommendations_received.csv", "messages.csv");
    private final LinkParser links = new LinkParser();
    private String me;

    @Override
    public void read(Archive archive, Known known, Sink sink) throws IOException {
        Map<String, List<Archive.Part>> byRole = new HashMap<>();
        for (Archive.Part part : archive.parts()) {
            String role = archive.single() ? sniff(archive.peek(part, 2048)) : part.name();
            if (ORDER.contains(role)) byRole.computeIfAbsent(role, r -> new ArrayList<>()).add(part);
        }
        if (byRole.isEmpty()) {
            if (archive.damage() != null) throw new ImportFailed(archive.damage());
            throw new ImportFailed("No LinkedIn export file found: expected messages.csv, Connections.csv, Invitations.csv, "
                    + "Endorsement_Received_Info.csv or Recommendations_Received.csv");
        }
        Set<String> mine = known.of("linkedin");
        if (mine.size() == 1) me = mine.iterator().next();
        if (me == null && byRole.containsKey("invitations.csv")) me = meFromInvitations(archive, byRole.get("invitations.csv").get(0));
        if (me == null && byRole.containsKey("messages.csv")) me = meFromMessages(archive, byRole.get("messages.csv").get(0));
        if (me != null && mine.isEmpty()) sink.identity("linkedin", me);
        for (String role : ORDER) {
            for (Archive.Part part : byRole.getOrDefault(role, List.of())) {
                String file = archive.single() ? role : part.path();
                try (InputStream in = archive.open(part)) {
                    switch (role) {
                        case "connections.csv" -> connections(in, file, sink);
                        case "invitations.csv" -> invitations(in, file, sink);
                        case "endorsement_received_info.csv" -> endorsements(in, file, sink);
                        case "recommendations_received.csv" -> recommendations(in, file, sink);
                        default -> messages(in, file, mine, sink);
                    }
                }
            }
        }
        if (archive.damage() != null) sink.accept(Entry.error("archive", null, archive.damage()));
    }

    static String sniff(String head) {
        String h = head.toLowerCase(Locale.ROOT);
        if (h.contains("conversation id") && h.contains("sender profile url")) return "messages.csv";
        if (h.startsWith("notes:") || h.contains("first name,last name,url")) return "connections.csv";
        if (h.contains("inviterprofileurl") || h.startsWith("from,to,sent at")) return "invitations.csv";
        if (h.contains("endorser public url")) return "endorsement_received_info.csv";
        if (h.contains("first name,last name,company,job title,text")) return "recommendations_received.csv";
        return null;
    }

    /** The handle of a LinkedIn profile URL, or null. */
    private String handleOf(String url) {
        if (url == null || url.isBlank()) return null;
        try {
            return links.parse(url.strip()).filter(l -> l.platform() == Platform.LINKEDIN).map(ParsedLink::handle).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String meFromInvitations(Archive archive, Archive.Part part) throws IOException {
        Map<String, Integer> votes = new HashMap<>();
        try (InputStream in = archive.open(part); CSVParser csv = FormatReader.csv(in)) {
            if (!csv.getHeaderMap().containsKey("Direction")) return null;
            for (CSVRecord r : csv) {
                String dir = CsvReader.get(r, "Direction");
                String mine = "OUTGOING".equalsIgnoreCase(dir) ? CsvReader.get(r, "inviterProfileUrl")
                        : "INCOMING".equalsIgnoreCase(dir) ? CsvReader.get(r, "inviteeProfileUrl") : null;
                String h = handleOf(mine);
                if (h != null) votes.merge(h, 1, Integer::sum);
            }
        } catch (RuntimeException e) {
            return null;
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    private String meFromMessages(Archive archive, Archive.Part part) throws IOException {
        Set<String> common = null;
        try (InputStream in = archive.open(part); CSVParser csv = FormatReader.csv(in)) {
            for (CSVRecord r : csv) {
                Set<String> people = new HashSet<>();
                String sender = handleOf(CsvReader.get(r, "SENDER PROFILE URL"));
                if (sender != null) people.add(sender);
                for (String url : split(CsvReader.get(r, "RECIPIENT PROFILE URLS"))) {
                    String h = handleOf(url);
                    if (h != null) people.add(h);
                }
                if (people.isEmpty()) continue;
                if (common == null) common = people;
                else common.retainAll(people);
                if (common.isEmpty()) return null;
            }
        } catch (RuntimeException e) {
            return null;
        }
        return common != null && common.size() == 1 ? common.iterator().next() : null;
    }

    private static List<String> split(String urls) {
        List<String> out = new ArrayList<>();
        if (urls == null) return out;
        for (String u : urls.split("[,;\\s]+")) if (!u.isBlank()) out.add(u.strip());
        return out;
    }

    private static String name(CSVRecord r, String first, String last) {
        String n = ((CsvReader.get(r, first) == null ? "" : CsvReader.get(r, first)) + " "
                + (CsvReader.get(r, last) == null ? "" : CsvReader.get(r, last))).strip();
        return n.isEmpty() ? null : n;
    }

    private static Instant date(CSVRecord r, String column, String file, long line, Sink sink) {
        try {
            return Dates.parse(CsvReader.get(r, column));
        } catch (IllegalArgumentException e) {
            sink.accept(Entry.error(file, line, column + ": " + e.getMessage()));
            return null;
        }
    }

    private void connections(InputStream in, String file, Sink sink) throws IOException {
        // A `Notes:` preamble precedes the header: skip to the line that starts with First Name.
        BufferedReader text = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        text.mark(64 * 1024);
        String l;
        int skipped = 0;
        while ((l = text.readLine()) != null && !l.startsWith("First Name")) {
            if (++skipped > 20) throw new ImportFailed(file + " has no `First Name,Last Name,URL,…` header");
            text.mark(64 * 1024);
        }
        if (l == null) return;
        text.reset();
        int offset = skipped;
        try (CSVParser csv = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).setTrim(true).setAllowMissingColumnNames(true).get().parse(text)) {
            FormatReader.requireColumns(csv, file, List.of("First Name", "Last Name", "URL"));
            CsvReader.rows(csv, file, sink, (r, line) -> {
                String displayName = name(r, "First Name", "Last Name");
                String url = CsvReader.get(r, "URL");
                if (url == null) {
                    sink.accept(Entry.error(file, line + offset, "no profile URL for " + (displayName == null ? "this connection" : displayName)));
                    return;
                }
                sink.accept(Entry.contact(file, line + offset, new Entry.Contact(displayName == null ? url : displayName, null, List.of(),
                        null, List.of(FormatReader.url(url))), null));
            });
        }
    }

    private void invitations(InputStream in, String file, Sink sink) throws IOException {
        try (CSVParser csv = FormatReader.csv(in)) {
            FormatReader.requireColumns(csv, file, List.of("Direction", "Sent At", "inviterProfileUrl"));
            CsvReader.rows(csv, file, sink, (r, line) -> {
                if (!"INCOMING".equalsIgnoreCase(CsvReader.get(r, "Direction"))) return;
                String from = CsvReader.get(r, "inviterProfileUrl");
                if (from == null) {
                    sink.accept(Entry.error(file, line, "no inviterProfileUrl"));
                    return;
                }
                Instant at = date(r, "Sent At", file, line, sink);
                if (at == null) return;
                sink.accept(Entry.interaction(file, line, FormatReader.create(FormatReader.url(from), "inbound", "follow", null, null, at,
                        CsvReader.get(r, "Message"), SOURCE, "invitation:" + FormatReader.digest(from, CsvReader.get(r, "Sent At")))));
            });
        }
    }

    private void endorsements(InputStream in, String file, Sink sink) throws IOException {
        try (CSVParser csv = FormatReader.csv(in)) {
            FormatReader.requireColumns(csv, file, List.of("Endorsement Date", "Skill Name", "Endorser Public Url"));
            CsvReader.rows(csv, file, sink, (r, line) -> {
                String from = CsvReader.get(r, "Endorser Public Url");
                if (from == null) {
                    sink.accept(Entry.error(file, line, "no Endorser Public Url"));
                    return;
                }
                if (!from.contains("://")) from = "https://" + from;
                Instant at = date(r, "Endorsement Date", file, line, sink);
                if (at == null) return;
                String skill = CsvReader.get(r, "Skill Name");
                sink.accept(Entry.interaction(file, line, FormatReader.create(FormatReader.url(from), "inbound", "endorsement", null, null, at,
                        skill, SOURCE, "endorsement:" + FormatReader.digest(from, skill))));
            });
        }
    }

    private void recommendations(InputStream in, String file, Sink sink) throws IOException {
        try (CSVParser csv = FormatReader.csv(in)) {
            FormatReader.requireColumns(csv, file, List.of("First Name", "Last Name", "Text", "Creation Date"));
            CsvReader.rows(csv, file, sink, (r, line) -> {
                String person = name(r, "First Name", "Last Name");
                if (person == null) {
                    sink.accept(Entry.error(file, line, "the recommendation names no one"));
                    return;
                }
                Instant at = date(r, "Creation Date", file, line, sink);
                if (at == null) return;
                sink.accept(Entry.withNamedPerson(file, line, person, FormatReader.create(null, "inbound", "recommendation", null, null, at,
                        CsvReader.get(r, "Text"), SOURCE, "linkedin-recommendation:" + FormatReader.digest(person, CsvReader.get(r, "Creation Date")))));
            });
        }
    }

    private void messages(InputStream in, String file, Set<String> mine, Sink sink) throws IOException {
        try (CSVParser csv = FormatReader.csv(in)) {
            FormatReader.requireColumns(csv, file, List.of("CONVERSATION ID", "SENDER PROFILE URL", "RECIPIENT PROFILE URLS", "DATE"));
            CsvReader.rows(csv, file, sink, (r, line) -> {
                if ("true".equalsIgnoreCase(CsvReader.get(r, "IS MESSAGE DRAFT")) || "yes".equalsIgnoreCase(CsvReader.get(r, "IS MESSAGE DRAFT"))) return;
                if (me == null) {
                    sink.accept(Entry.error(file, line, "cannot tell which profile is yours; include Invitations.csv or add your LinkedIn identity first"));
                    return;
                }
                String senderUrl = CsvReader.get(r, "SENDER PROFILE URL");
                String sender = handleOf(senderUrl);
                Instant at = date(r, "DATE", file, line, sink);
                if (at == null) return;
                String conversation = CsvReader.get(r, "CONVERSATION ID");
                String thread = conversation == null ? null : "https://www.linkedin.com/messaging/thread/" + conversation.replaceAll("[^A-Za-z0-9_=-]", "") + "/";
                String content = CsvReader.get(r, "CONTENT");
                String id = FormatReader.digest(conversation, CsvReader.get(r, "DATE"), senderUrl, content);
                if (me.equals(sender) || mine.contains(sender)) {
                    for (String url : split(CsvReader.get(r, "RECIPIENT PROFILE URLS"))) {
                        String h = handleOf(url);
                        if (h == null || h.equals(me)) continue;
                        sink.accept(Entry.interaction(file, line, FormatReader.create(FormatReader.handle("linkedin", h), "outbound", "message",
                                null, thread, at, FormatReader.clip(content, 500), SOURCE, "message:" + id + ":" + h)));
                    }
                } else if (sender != null) {
                    sink.accept(Entry.interaction(file, line, FormatReader.create(FormatReader.handle("linkedin", sender), "inbound", "message",
                            null, thread, at, FormatReader.clip(content, 500), SOURCE, "message:" + id)));
                } else {
                    sink.accept(Entry.error(file, line, "no SENDER PROFILE URL"));
                }
            });
        }
    }
}
