package reciprocity.imports;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The files of an upload, read from disk and never held in memory: a zip (random access, or scanned entry by entry
 * when it is cut short and has no central directory), a .tar.gz, or the upload itself as one file, whose role the
 * readers guess from its first bytes.
 */
final class Archive implements Closeable {
    /** A file inside the upload: its path there and its lower-case base name (null for a lone file). */
    record Part(String path, String name) {}

    private enum Kind { SINGLE, ZIP, ZIP_SCAN, TAR_GZ }

    private final Path file;
    private final Kind kind;
    private final ZipFile zip;
    private final List<Part> parts = new ArrayList<>();
    private String damage;

    private Archive(Path file, Kind kind, ZipFile zip) {
        this.file = file;
        this.kind = kind;
        this.zip = zip;
    }

    static Archive open(Path file) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)) {
            try {
                Archive a = new Archive(file, Kind.ZIP, new ZipFile(file.toFile()));
                Enumeration<? extends ZipEntry> entries = a.zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    if (!e.isDirectory()) a.parts.add(part(e.getName()));
                }
                return a;
            } catch (ZipException e) {
                Archive a = new Archive(file, Kind.ZIP_SCAN, null);
                a.scan();
                return a;
            }
        }
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            Archive a = new Archive(file, Kind.TAR_GZ, null);
            a.scan();
            if (a.parts.isEmpty() && a.damage == null) throw new ImportFailed("The gzip file holds no tar archive (expected a .tar.gz of the export)");
            return a;
        }
        Archive a = new Archive(file, Kind.SINGLE, null);
        a.parts.add(new Part("", null));
        return a;
    }

    private static Part part(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        return new Part(path, base);
    }

    /** Lists the entries of a stream-only archive; one cut short lists what is there and remembers the damage. */
    private void scan() throws IOException {
        try (Entries entries = entries()) {
            String name;
            while ((name = entries.next()) != null) parts.add(part(name));
        } catch (EOFException | ZipException e) {
            damage = parts.isEmpty() ? "The archive is damaged or cut short and holds no readable file"
                    : "The archive is cut short after " + parts.get(parts.size() - 1).path() + "; upload the whole file to import the rest";
        } catch (IOException e) {
            if (parts.isEmpty()) throw new ImportFailed("The archive cannot be read: " + e.getMessage());
            damage = "The archive is damaged after " + parts.get(parts.size() - 1).path() + ": " + e.getMessage();
        }
    }

    boolean single() {
        return kind == Kind.SINGLE;
    }

    List<Part> parts() {
        return parts;
    }

    /** Non-null when the archive is cut short or damaged: the good files before the damage are still read. */
    String damage() {
        return damage;
    }

    /** The part's bytes, without a UTF-8 byte order mark. */
    InputStream open(Part part) throws IOException {
        InputStream raw = switch (kind) {
            case SINGLE -> Files.newInputStream(file);
            case ZIP -> zip.getInputStream(zip.getEntry(part.path()));
            case ZIP_SCAN, TAR_GZ -> {
                Entries entries = entries();
                String name;
                while ((name = entries.next()) != null && !name.equals(part.path())) {
                    // skip to the wanted entry
                }
                if (name == null) {
                    entries.close();
                    throw new EOFException(part.path() + " is missing");
                }
                yield entries.stream();
            }
        };
        return withoutBom(raw);
    }

    /** The first bytes of a part as text, for telling what kind of file it is. */
    String peek(Part part, int bytes) throws IOException {
        try (InputStream in = open(part)) {
            return new String(in.readNBytes(bytes), StandardCharsets.UTF_8);
        } catch (EOFException e) {
            return "";
        }
    }

    private static InputStream withoutBom(InputStream in) throws IOException {
        PushbackInputStream p = new PushbackInputStream(in, 3);
        byte[] b = new byte[3];
        int n = p.readNBytes(b, 0, 3);
        if (!(n == 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) && n > 0) p.unread(b, 0, n);
        return new BufferedInputStream(p, 1 << 16);
    }

    /** Sequential access to a zip or tar.gz: each entry's name, then its bytes. */
    private interface Entries extends Closeable {
        String next() throws IOException;

        InputStream stream();
    }

    private Entries entries() throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (kind == Kind.TAR_GZ) {
            TarArchiveInputStream tar;
            try {
                tar = new TarArchiveInputStream(new GzipCompressorInputStream(in));
            } catch (IOException e) {
                in.close();
                throw e;
            }
            return new Entries() {
                public String next() throws IOException {
                    TarArchiveEntry e;
                    while ((e = tar.getNextEntry()) != null && !e.isFile()) {
                        // directories, links
                    }
                    return e == null ? null : e.getName();
                }

                public InputStream stream() {
                    return tar;
                }

                public void close() throws IOException {
                    tar.close();
                }
            };
        }
        ZipInputStream z = new ZipInputStream(in);
        return new Entries() {
            public String next() throws IOException {
                ZipEntry e;
                while ((e = z.getNextEntry()) != null && e.isDirectory()) {
                    // directories
                }
                return e == null ? null : e.getName();
            }

            public InputStream stream() {
                return new FilterInputStream(z) {};
            }

            public void close() throws IOException {
                z.close();
            }
        };
    }

    @Override
    public void close() throws IOException {
        if (zip != null) zip.close();
    }
}
