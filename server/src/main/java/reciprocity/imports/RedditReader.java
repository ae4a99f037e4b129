package reciprocity.imports;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A Reddit data export (.zip or single CSVs): `messages.csv` (and `messages_archive.csv`) → messages both ways by
 * `from`/`to` against your username (known from your Reddit identity, else the one name in every message);
 * `comments.csv` → nothing written: the export does not say whose post or comment each one answers, so each is an
 * error entry saying so (record those replies from the extension instead).
 */
final class RedditReader implements FormatReader {
    private static final String SOURCE = "import:reddit-export";
    private String me;

    @Override
    public void read(Archive archive, Known known, Sink sink) throws IOException {
        List<Archive.Part> messages = new ArrayList<>(), comments = new ArrayList<>();
        for (Archive.Part part : archive.parts()) {
            String role = archive.single() ? sniff(archive.peek(part, 1024)) : part.name();
            if ("messages.csv".equals(role) || "messages_archive.csv".equals(role)) messages.add(part);
            if ("comments.csv".equals(role)) comments.add(part);
        }
        if (messages.isEmpty() && comments.isEmpty()) {
            if (archive.damage() != null) throw new ImportFailed(archive.damage());
            throw new ImportFailed("No Reddit export file found: expected messages.csv (id,permalink,thread_id,date,ip,from,to,subject,body) or comments.csv");
        }
        Set<String> mine = known.of("reddit");
        if (mine.size() == 1) me = mine.iterator().next();
        if (me == null) {
            for (Archive.Part p : messages) if (me == null) me = meFromMessages(archive, p);
            if (me != null) sink.identity("reddit", me);
        }
        for (Archive.Part p : messages) {
            try (InputStream in = archive.open(p)) {
                messages(in, archive.single() ? "messages.csv" : p.path(), sink);
            }
        }
        for (Archive.Part p : comments) {
            try (InputStream in = archive.open(p)) {
                comments(in, archive.single() ? "comments.csv" : p.path(), sink);
            }
        }
        if (archive.damage() != null) sink.accept(Entry.error("archive", null, archive.damage()));
    }

    static String sniff(String head) {
        String h = head.toLowerCase(Locale.ROOT);
        if (h.startsWith("id,permalink,") && h.contains(",from,to,")) return "messages.csv";
        if (h.startsWith("id,permalink,") && h.contains(",link,parent,")) return "comments.csv";
        return null;
    }

    private static String user(String name) {
        if (name == null) return null;
        String n = name.strip();
        if (n.startsWith("/u/")) n = n.substring(3);
        else if (n.startsWith("u/")) n = n.substring(2);
        return n.isEmpty() || n.equals("[deleted]") ? null : n.toLowerCase(Locale.ROOT);
    }

    private static String meFromMessages(Archive archive, Archive.Part part) throws IOException {
        Set<String> common = null;
        try (InputStream in = archive.open(part); CSVParser csv = FormatReader.csv(in)) {
            for (CSVRecord r : csv) {
                Set<String> people = new HashSet<>();
                if (user(CsvReader.get(r, "from")) != null) people.add(user(CsvReader.get(r, "from")));
                if (user(CsvReader.get(r, "to")) != null) people.add(user(CsvReader.get(r, "to")));
                if (common == null) common = people;
                else common.retainAll(people);
                if (common.isEmpty()) return null;
            }
        } catch (RuntimeException e) {
            return null;
        }
        return common != null && common.size() == 1 ? common.iterator().next() : null;
    }

    private void messages(InputStream in, String file, Sink sink) throws IOException {
        try (CSVParser csv = FormatReader.csv(in)) {
            FormatReader.requireColumns(csv, file, List.of("id", "date", "from", "to"));
            CsvReader.rows(csv, file, sink, (r, line) -> {
                if (me == null) {
                    sink.accept(Entry.error(file, line, "cannot tell which username is yours; add your Reddit identity first"));
                    return;
                }
                String id = CsvReader.get(r, "id");
                String from = user(CsvReader.get(r, "from"));
                String to = user(CsvReader.get(r, "to"));
                boolean outbound = me.equals(from);
                String other = outbound ? to : from;
                if (id == null || other == null || (!outbound && !me.equals(to))) {
                    sink.accept(Entry.error(file, line, "the message is not between you and one other user"));
                    return;
                }
                Instant at;
                try {
                    at = Dates.parse(CsvReader.get(r, "date"));
                } catch (IllegalArgumentException e) {
                    sink.accept(Entry.error(file, line, "date: " + e.getMessage()));
                    return;
                }
                String permalink = CsvReader.get(r, "permalink");
                if (permalink != null && permalink.startsWith("/")) permalink = "https://www.reddit.com" + permalink;
                if (permalink != null && !permalink.startsWith("http")) permalink = null;
                String subject = CsvReader.get(r, "subject");
                String body = CsvReader.get(r, "body");
                sink.accept(Entry.interaction(file, line, FormatReader.create(FormatReader.handle("reddit", other), outbound ? "outbound" : "inbound",
                        "message", null, permalink, at, FormatReader.clip(subject == null ? body : subject + ": " + (body == null ? "" : body), 500),
                        SOURCE, "message:" + id)));
            });
        }
    }

    private static void comments(InputStream in, String file, Sink sink) throws IOException {
        try (CSVParser csv = FormatReader.csv(in)) {
            FormatReader.requireColumns(csv, file, List.of("id", "parent"));
            CsvReader.rows(csv, file, sink, (r, line) -> sink.accept(Entry.error(file, line,
                    "skipped: the export does not say whose " + (String.valueOf(CsvReader.get(r, "parent")).startsWith("t1_") ? "comment" : "post")
                            + " this comment answers (" + CsvReader.get(r, "parent") + ")")));
        }
    }
}
