package reciprocity.imports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Test files: the real samples under src/test/resources/samples, and archives built from them and from generated files. */
final class ImportFiles {
    static final Path SAMPLES = Path.of("src", "test", "resources", "samples");

    private ImportFiles() {}

    static byte[] sample(String path) {
        try {
            return Files.readAllBytes(SAMPLES.resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, byte[]> files(Object... nameThenBytes) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) m.put((String) nameThenBytes[i], (byte[]) nameThenBytes[i + 1]);
        return m;
    }

    static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                z.putNextEntry(new ZipEntry(f.getKey()));
                z.write(f.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] tarGz(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(f.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** An X archive: our account, the real darkliquid tweets, and DMs with two people the tweets name and one they do not. */
    static byte[] xArchive() {
        String account = """
                window.YTD.account.part0 = [ { "account" : { "username" : "Me_Test", "accountId" : "1", "accountDisplayName" : "Me" } } ]""";
        String dms = """
                window.YTD.direct_messages.part0 = [ { "dmConversation" : { "conversationId" : "1-405655908", "messages" : [
                  { "messageCreate" : { "recipientId" : "1", "senderId" : "405655908", "id" : "9001", "text" : "hi", "createdAt" : "2023-03-01T10:00:00.000Z" } },
                  { "messageCreate" : { "recipientId" : "405655908", "senderId" : "1", "id" : "9002", "text" : "hello", "createdAt" : "2023-03-01T11:00:00.000Z" } } ] } },
                  { "dmConversation" : { "conversationId" : "1-777", "messages" : [
                  { "messageCreate" : { "recipientId" : "1", "senderId" : "777", "id" : "9003", "text" : "who am i", "createdAt" : "2023-03-02T10:00:00.000Z" } } ] } } ]""";
        return zip(files("data/account.js", text(account), "data/tweets.js", sample("x-archive/darkliquid-twoo/tweets.js"),
                "data/direct-messages.js", text(dms), "data/manifest.js", text("window.__THAR_CONFIG = {}")));
    }
}
