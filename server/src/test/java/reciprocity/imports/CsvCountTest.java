package reciprocity.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV reader's first pass counts rows without building them; the count must be the entries the second pass hands over. */
class CsvCountTest {
    static final FormatReader.Known NONE = new FormatReader.Known(Map.of());
    static final String HEADER = "platform,handle,url,direction,kind,occurredAt,note,externalId\n";

    @TempDir
    Path dir;

    @Test
    void the_count_is_the_entries_read_for_good_bad_and_odd_rows() throws IOException {
        String csv = HEADER
                + "x,alice,,inbound,comment,2026-01-01T10:00:00Z,hi,a1\n"
                + "\n"                                                             // an empty line is no row
                + "x,bob,,inbound,comment,not a date,,a2\n"                        // an error entry
                + "x,carol,,outbound,reply,2026-01-02T10:00:00Z,\"two\nlines, and \"\"quotes\"\"\",a3\r\n"
                + "   \n"                                                          // blanks: a row of one empty field
                + ",,,,,,,\n"                                                      // a row with nothing in it
                + "x,dave,,inbound,like,2026-01-03T10:00:00Z,,a4";                 // no newline at the end
        assertSame(file("a.csv", csv.getBytes(StandardCharsets.UTF_8)), 6);
    }

    @Test
    void a_row_the_parser_cannot_read_ends_the_file_with_one_error_counted_as_read() throws IOException {
        String csv = HEADER
                + "x,alice,,inbound,comment,2026-01-01T10:00:00Z,hi,a1\n"
                + "x,bob,,inbound,comment,2026-01-01T10:00:00Z,\"never closed,a2\n"
                + "x,carol,,inbound,comment,2026-01-01T10:00:00Z,,a3\n";
        List<Entry> read = assertSame(file("a.csv", csv.getBytes(StandardCharsets.UTF_8)), 2);
        assertTrue(read.get(1).error().contains("cannot be read from here on"), read.get(1).error());
    }

    @Test
    void every_csv_of_a_zip_is_counted_and_nothing_else() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("one.csv"));
            zip.write((HEADER + "x,a,,inbound,comment,,,1\nx,b,,inbound,comment,,,2\n").getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("notes.txt"));
            zip.write("x,a,,inbound,comment,,,1\n".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("more/two.csv"));
            zip.write((HEADER + "x,c,,inbound,comment,bad,,3\n").getBytes(StandardCharsets.UTF_8));
        }
        assertSame(file("a.zip", bytes.toByteArray()), 3);
    }

    @Test
    void a_header_without_the_required_columns_fails_the_count_as_it_fails_the_read() throws IOException {
        Path f = file("a.csv", "platform,handle,kind\nx,a,comment\n".getBytes(StandardCharsets.UTF_8));
        ImportFailed counted = assertThrows(ImportFailed.class, () -> count(f));
        ImportFailed read = assertThrows(ImportFailed.class, () -> read(f));
        assertEquals(read.getMessage(), counted.getMessage());
    }

    private List<Entry> assertSame(Path f, int expected) throws IOException {
        List<Entry> read = read(f);
        assertEquals(expected, read.size(), "entries read");
        assertEquals(read.size(), count(f), "the first pass's count");
        return read;
    }

    private Path file(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return f;
    }

    private static long count(Path f) throws IOException {
        Sink.Counter n = new Sink.Counter();
        try (Archive a = Archive.open(f)) {
            new CsvReader().read(a, NONE, n);
        }
        return n.entries();
    }

    private static List<Entry> read(Path f) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (Archive a = Archive.open(f)) {
            new CsvReader().read(a, NONE, new Sink() {
                public void identity(String platform, String handle) {}

                public void accept(Entry entry) {
                    out.add(entry);
                }
            });
        }
        return out;
    }
}
