package reciprocity.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The generic CSV: a header row, then one interaction per row. Columns: `direction` and `kind` (required), the person
 * as `url` or `platform` + `handle`, and optional `occurredAt`, `note`, `externalId`, `threadUrl`, `itemUrl`. A header
 * names a column in any case and with or without separators (`occurred_at`, `Occurred At`, `EXTERNAL-ID`); a column the
 * format does not read is reported as an error on the header's line, and its values are left out.
 */
final class CsvReader implements FormatReader {
    /** Every column this format reads. */
    static final List<String> READ = List.of("platform", "handle", "url", "direction", "kind", "occurredAt", "note", "externalId",
            "threadUrl", "itemUrl");

    /** A header name as this format matches it: lower case, letters and digits only (so also without a byte order mark). */
    static String normal(String header) {
        StringBuilder b = new StringBuilder(header.length());
        header.codePoints().filter(Character::isLetterOrDigit).map(Character::toLowerCase).forEach(b::appendCodePoint);
        return b.toString();
    }

    /** The file's header name of each column this format reads (the first of several that match), by its own name. */
    static Map<String, String> columns(List<String> headers) {
        Map<String, String> byNormal = new HashMap<>();
        for (String h : headers) byNormal.putIfAbsent(normal(h), h);
        Map<String, String> out = new HashMap<>();
        for (String c : READ) {
            String h = byNormal.get(normal(c));
            if (h != null) out.put(c, h);
        }
        return out;
    }

    /** The header names that match no column this format reads (blank ones aside). */
    static List<String> unread(List<String> headers) {
        Set<String> read = new HashSet<>();
        for (String c : READ) read.add(normal(c));
        return headers.stream().filter(h -> !normal(h).isEmpty() && !read.contains(normal(h))).toList();
    }

    @Override
    public void read(Archive archive, Known known, Sink sink) throws IOException {
        boolean any = false;
        for (Archive.Part part : archive.parts()) {
            if (!archive.single() && !part.name().endsWith(".csv")) continue;
            any = true;
            String file = archive.single() ? "upload.csv" : part.path();
            try (InputStream in = archive.open(part); CSVParser csv = FormatReader.csv(in)) {
                List<String> headers = csv.getHeaderNames();
                Map<String, String> names = columns(headers);
                List<String> missing = List.of("direction", "kind").stream().filter(c -> !names.containsKey(c)).toList();
                if (!missing.isEmpty()) {
                    String only = headers.size() == 1 ? headers.get(0) : "";
                    String separator = only.contains(";") ? "semicolons" : only.contains("\t") ? "tabs" : null;
                    throw FormatReader.lacks(file, missing, headers,
                            separator == null ? "" : " (its columns seem separated by " + separator + "; the csv format reads commas)");
                }
                if (!names.containsKey("url") && !(names.containsKey("platform") && names.containsKey("handle"))) {
                    throw new ImportFailed(file + " needs a url column, or platform and handle columns, to say who each row is with");
                }
                // A column read under no name at all (a misspelt `occuredAt`, say) would otherwise go unnoticed.
                List<String> unread = unread(headers);
                if (!unread.isEmpty()) {
                    sink.accept(Entry.error(file, 1L, "the column" + (unread.size() > 1 ? "s " : " ")
                            + FormatReader.clip(String.join(", ", unread), 200) + (unread.size() > 1 ? " are" : " is")
                            + " not read by the csv format and " + (unread.size() > 1 ? "were" : "was") + " left out (it reads "
                            + String.join(", ", READ) + ")"));
                }
                Sink.Counter counter = sink instanceof Sink.Counter c ? c : null;
                rows(csv, file, sink, (record, line) -> {
                    // Every row is one entry (an interaction or an error), so the first pass need not build it.
                    if (counter != null) {
                        counter.one();
                        return;
                    }
                    String url = get(record, names.get("url"));
                    Instant at;
                    try {
                        String when = get(record, names.get("occurredAt"));
                        at = when == null ? null : Dates.parse(when);
                    } catch (IllegalArgumentException e) {
                        sink.accept(Entry.error(file, line, "occurredAt: " + e.getMessage()));
                        return;
                    }
                    sink.accept(Entry.interaction(file, line, FormatReader.create(
                            url != null ? FormatReader.url(url) : FormatReader.handle(get(record, names.get("platform")), get(record, names.get("handle"))),
                            get(record, names.get("direction")), get(record, names.get("kind")), get(record, names.get("itemUrl")),
                            get(record, names.get("threadUrl")), at, get(record, names.get("note")), "import:csv",
                            get(record, names.get("externalId")))));
                });
            }
        }
        // An archive with nothing this format reads: say so rather than finish having imported nothing.
        if (!any) throw FormatReader.noPart(archive, "csv");
    }

    /** The value of {@code column} (null: no such column), stripped; null when blank. */
    static String get(CSVRecord record, String column) {
        if (column == null || !record.isMapped(column) || !record.isSet(column)) return null;
        String v = record.get(column);
        return v == null || v.isBlank() ? null : v.strip();
    }

    interface Row {
        void accept(CSVRecord record, long line);
    }

    /** Each row with the line it starts on; a row the CSV parser cannot read ends the file with an error entry. */
    static void rows(CSVParser csv, String file, Sink sink, Row row) {
        Iterator<CSVRecord> it = csv.iterator();
        while (true) {
            long line = csv.getCurrentLineNumber() + 1;
            CSVRecord record;
            try {
                if (!it.hasNext()) return;
                record = it.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                sink.accept(Entry.error(file, line, "the file cannot be read from here on (" + FormatReader.clip(why, 200) + ")"));
                return;
            }
            row.accept(record, line);
        }
    }
}
