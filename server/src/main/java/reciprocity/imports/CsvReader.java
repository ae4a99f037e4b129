package reciprocity.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The generic CSV: a header row, then one interaction per row. Columns: `direction` and `kind` (required), the person
 * as `url` or `platform` + `handle`, and optional `occurredAt`, `note`, `externalId`, `threadUrl`, `itemUrl`.
 */
final class CsvReader implements FormatReader {
    static final List<String> COLUMNS = List.of("platform", "handle", "url", "direction", "kind", "occurredAt", "note", "externalId");

    @Override
    public void read(Archive archive, Known known, Sink sink) throws IOException {
        for (Archive.Part part : archive.parts()) {
            if (!archive.single() && !part.name().endsWith(".csv")) continue;
            String file = archive.single() ? "upload.csv" : part.path();
            try (InputStream in = archive.open(part); CSVParser csv = FormatReader.csv(in)) {
                FormatReader.requireColumns(csv, file, List.of("direction", "kind"));
                if (!csv.getHeaderMap().containsKey("url") && !(csv.getHeaderMap().containsKey("platform") && csv.getHeaderMap().containsKey("handle"))) {
                    throw new ImportFailed(file + " needs a url column, or platform and handle columns, to say who each row is with");
                }
                Sink.Counter counter = sink instanceof Sink.Counter c ? c : null;
                rows(csv, file, sink, (record, line) -> {
                    // Every row is one entry (an interaction or an error), so the first pass need not build it.
                    if (counter != null) {
                        counter.one();
                        return;
                    }
                    String url = get(record, "url");
                    String person = url != null ? url : null;
                    Instant at;
                    try {
                        at = get(record, "occurredAt") == null ? null : Dates.parse(get(record, "occurredAt"));
                    } catch (IllegalArgumentException e) {
                        sink.accept(Entry.error(file, line, "occurredAt: " + e.getMessage()));
                        return;
                    }
                    sink.accept(Entry.interaction(file, line, FormatReader.create(
                            person != null ? FormatReader.url(person) : FormatReader.handle(get(record, "platform"), get(record, "handle")),
                            get(record, "direction"), get(record, "kind"), get(record, "itemUrl"), get(record, "threadUrl"), at,
                            get(record, "note"), "import:csv", get(record, "externalId"))));
                });
            }
        }
    }

    static String get(CSVRecord record, String column) {
        if (!record.isMapped(column) || !record.isSet(column)) return null;
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
