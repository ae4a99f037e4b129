package reciprocity.imports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import reciprocity.interactions.InteractionService;
import reciprocity.ledger.PersonRef;

/** Reads one import format from an upload, streaming, and hands what it finds to a {@link Sink} in file order. */
interface FormatReader {
    /** @throws ImportFailed when the upload cannot be read as this format at all */
    void read(Archive archive, Known known, Sink sink) throws IOException;

    /** What the database already knows before the file is read: the user's own handles by platform. */
    record Known(Map<String, Set<String>> identities) {
        Set<String> of(String platform) {
            return identities.getOrDefault(platform, Set.of());
        }
    }

    JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).maxStringLength(20_000_000).build())
            .build();

    static InteractionService.Create create(PersonRef person, String direction, String kind, String url, String threadUrl,
                                            Instant at, String note, String source, String externalId) {
        return new InteractionService.Create(person, direction, kind, url, threadUrl, at, clip(note, 5000), source, externalId);
    }

    static PersonRef handle(String platform, String handle) {
        return new PersonRef(null, platform, handle, null);
    }

    static PersonRef url(String url) {
        return new PersonRef(url, null, null, null);
    }

    static String clip(String s, int max) {
        if (s == null || s.isBlank()) return null;
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** A short stable id for entries that carry none of their own (LinkedIn messages, invitations). */
    static String digest(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update((p == null ? "" : p).getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSV with a header row (names kept as written); rows are read one at a time. */
    static CSVParser csv(InputStream in) throws IOException {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                .setAllowMissingColumnNames(true).setTrim(true).get()
                .parse(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The header a CSV must have, by name; a missing one fails the file with one reason. */
    static void requireColumns(CSVParser parser, String file, List<String> required) {
        List<String> missing = required.stream().filter(c -> !parser.getHeaderMap().containsKey(c)).toList();
        if (!missing.isEmpty()) throw lacks(file, missing, parser.getHeaderNames(), "");
    }

    /**
     * The failure of an archive in which no part has the extension a format reads ({@code csv}, {@code json}): the
     * damage that stopped the archive being listed, when there was some.
     */
    static ImportFailed noPart(Archive archive, String ext) {
        if (archive.damage() != null) return new ImportFailed(archive.damage());
        return new ImportFailed("The archive holds no ." + ext + " file; the " + ext + " format reads a ." + ext
                + " file, or a .zip or .tar.gz of them");
    }

    /** The failure of a CSV whose header lacks {@code missing}; {@code hint} (may be empty) follows the header shown. */
    static ImportFailed lacks(String file, List<String> missing, List<String> header, String hint) {
        return new ImportFailed(file + " lacks the column" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                + "; its header is: " + clip(String.join(",", header), 300) + hint);
    }
}
