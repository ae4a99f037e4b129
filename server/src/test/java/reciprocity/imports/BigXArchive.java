package reciprocity.imports;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a large X archive zip shaped like a real one, streaming, and the same bytes for the same arguments: account.js,
 * a tweets.js of pretty-printed tweets (replies, mentions, self-replies and plain tweets), a direct-messages.js with
 * people the tweets name, and incompressible media under data/tweets_media/ making up the rest of the size.
 */
final class BigXArchive {
    static final String ME = "big_me";
    static final String MY_ID = "4242";
    private static final int PEOPLE = 5000;
    private static final int MEDIA_BYTES = 2 << 20;
    private static final DateTimeFormatter X_TIME = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Instant START = Instant.parse("2019-01-01T00:00:00Z");

    /** What was written: the file, its size, and the entries an import must create from it. */
    record Written(Path file, long bytes, long tweets, long entries, long mediaFiles) {}

    private BigXArchive() {}

    static Written write(Path file, long targetBytes, int tweets, int dmConversations) throws IOException {
        if (4L * dmConversations > tweets) throw new IllegalArgumentException("at most one conversation per four tweets");
        long entries = 0;
        long media = 0;
        try (Counting counting = new Counting(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
             ZipOutputStream zip = new ZipOutputStream(counting)) {
            zip.putNextEntry(new ZipEntry("data/account.js"));
            zip.write(("window.YTD.account.part0 = [\n  {\n    \"account\" : {\n      \"email\" : \"big@example.com\",\n"
                    + "      \"createdVia\" : \"web\",\n      \"username\" : \"" + ME + "\",\n      \"accountId\" : \"" + MY_ID + "\",\n"
                    + "      \"createdAt\" : \"2012-03-04T05:06:07.000Z\",\n      \"accountDisplayName\" : \"Big Me\"\n    }\n  }\n]")
                    .getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();

            zip.putNextEntry(new ZipEntry("data/tweets.js"));
            Writer out = new OutputStreamWriter(new Unclosable(zip), StandardCharsets.UTF_8);
            out.write("window.YTD.tweets.part0 = [");
            for (int i = 0; i < tweets; i++) {
                if (i > 0) out.write(',');
                entries += tweet(out, i);
            }
            out.write("\n]");
            out.flush();
            zip.closeEntry();

            zip.putNextEntry(new ZipEntry("data/direct-messages.js"));
            out = new OutputStreamWriter(new Unclosable(zip), StandardCharsets.UTF_8);
            out.write("window.YTD.direct_messages.part0 = [");
            for (int c = 0; c < dmConversations; c++) {
                // The person tweet 4c replies to, so every partner's handle is known from the tweets.
                int person = (int) ((4L * c * 7919L) % PEOPLE);
                out.write((c > 0 ? "," : "") + "\n  {\n    \"dmConversation\" : {\n      \"conversationId\" : \"" + MY_ID + "-" + id(person)
                        + "\",\n      \"messages\" : [");
                for (int m = 0; m < 2; m++) {
                    boolean mine = m == 1;
                    out.write((m > 0 ? "," : "") + "\n        {\n          \"messageCreate\" : {\n            \"recipientId\" : \""
                            + (mine ? id(person) : MY_ID) + "\",\n            \"reactions\" : [ ],\n            \"urls\" : [ ],\n"
                            + "            \"text\" : \"message " + m + " of conversation " + c + "\",\n            \"mediaUrls\" : [ ],\n"
                            + "            \"senderId\" : \"" + (mine ? MY_ID : id(person)) + "\",\n            \"id\" : \"" + (9_000_000_000L + c * 2L + m)
                            + "\",\n            \"createdAt\" : \"" + START.plusSeconds(c * 3600L + m * 60L) + "\"\n          }\n        }");
                    entries++;
                }
                out.write("\n      ]\n    }\n  }");
            }
            out.write("\n]");
            out.flush();
            zip.closeEntry();

            zip.putNextEntry(new ZipEntry("data/manifest.js"));
            zip.write("window.__THAR_CONFIG = {}".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();

            // Photos do not compress: stored, as the random bytes standing in for them would not shrink either.
            SplittableRandom random = new SplittableRandom(42);
            byte[] photo = new byte[MEDIA_BYTES];
            while (counting.count < targetBytes - MEDIA_BYTES / 2) {
                int size = (int) Math.min(MEDIA_BYTES, Math.max(1024, targetBytes - counting.count - 200));
                for (int i = 0; i < size; i += 8) {
                    long r = random.nextLong();
                    for (int k = 0; k < 8 && i + k < size; k++) photo[i + k] = (byte) (r >>> (8 * k));
                }
                CRC32 crc = new CRC32();
                crc.update(photo, 0, size);
                ZipEntry e = new ZipEntry("data/tweets_media/" + tweetId(media * 97) + "-" + Long.toString(media * 7_777_777L, 36) + ".jpg");
                e.setMethod(ZipEntry.STORED);
                e.setSize(size);
                e.setCompressedSize(size);
                e.setCrc(crc.getValue());
                zip.putNextEntry(e);
                zip.write(photo, 0, size);
                zip.closeEntry();
                media++;
            }
        }
        return new Written(file, Files.size(file), tweets, entries, media);
    }

    private static String handle(int person) {
        return "friend" + person;
    }

    private static String id(int person) {
        return Long.toString(100_000_000L + person * 13L);
    }

    private static String tweetId(long i) {
        return Long.toString(1_100_000_000_000_000_000L + i * 1_000_003L);
    }

    /** One tweet as X writes it; returns the entries it makes: a reply 1, a tweet mentioning two others 2, else 0. */
    private static int tweet(Writer out, int i) throws IOException {
        String id = tweetId(i);
        String at = X_TIME.format(START.plusSeconds(i * 613L));
        int a = (int) ((i * 7919L) % PEOPLE), b = (a + 1 + i % 17) % PEOPLE;
        int kind = i % 4;
        StringBuilder mentions = new StringBuilder();
        String text;
        String replyStatus = null, replyUser = null, replyUserId = null;
        int made;
        switch (kind) {
            case 0 -> { // a reply to someone: the mention of whom it answers is the same person
                replyStatus = tweetId(i + 50_000_000L);
                replyUser = handle(a);
                replyUserId = id(a);
                mentions.append(mention(a, 0));
                text = "@" + handle(a) + " Quite right, and thanks for the link; number " + i + " of many";
                made = 1;
            }
            case 1 -> { // mentions two people
                mentions.append(mention(a, 0)).append(',').append(mention(b, 13));
                text = "Lunch with @" + handle(a) + " and @" + handle(b) + " was grand, tweet " + i;
                made = 2;
            }
            case 2 -> { // a thread: a reply to myself
                replyStatus = tweetId(i - 1);
                replyUser = ME;
                replyUserId = MY_ID;
                text = "And another thing, continued from the tweet before, number " + i;
                made = 0;
            }
            default -> { // a plain tweet
                text = "Just thinking out loud about streams and heaps, tweet " + i;
                made = 0;
            }
        }
        out.write("\n  {\n    \"tweet\" : {\n      \"edit_info\" : {\n        \"initial\" : {\n          \"editTweetIds\" : [\n            \"" + id
                + "\"\n          ],\n          \"editableUntil\" : \"2023-02-24T07:28:32.000Z\",\n          \"editsRemaining\" : \"5\",\n"
                + "          \"isEditEligible\" : false\n        }\n      },\n      \"retweeted\" : false,\n"
                + "      \"source\" : \"<a href=\\\"http://twitter.com/download/android\\\" rel=\\\"nofollow\\\">Twitter for Android</a>\",\n"
                + "      \"entities\" : {\n        \"hashtags\" : [ ],\n        \"symbols\" : [ ],\n        \"user_mentions\" : [" + mentions
                + "\n        ],\n        \"urls\" : [ ]\n      },\n      \"display_text_range\" : [\n        \"0\",\n        \"" + text.length()
                + "\"\n      ],\n      \"favorite_count\" : \"" + (i % 7) + "\",\n");
        if (replyStatus != null) {
            out.write("      \"in_reply_to_status_id_str\" : \"" + replyStatus + "\",\n      \"in_reply_to_user_id\" : \"" + replyUserId + "\",\n"
                    + "      \"in_reply_to_status_id\" : \"" + replyStatus + "\",\n      \"in_reply_to_screen_name\" : \"" + replyUser + "\",\n"
                    + "      \"in_reply_to_user_id_str\" : \"" + replyUserId + "\",\n");
        }
        out.write("      \"id_str\" : \"" + id + "\",\n      \"truncated\" : false,\n      \"retweet_count\" : \"0\",\n      \"id\" : \"" + id
                + "\",\n      \"created_at\" : \"" + at + "\",\n      \"favorited\" : false,\n      \"full_text\" : \"" + text
                + "\",\n      \"lang\" : \"en\"\n    }\n  }");
        return made;
    }

    private static String mention(int person, int start) {
        String h = handle(person);
        return "\n          {\n            \"name\" : \"Friend " + person + "\",\n            \"screen_name\" : \"" + h + "\",\n"
                + "            \"indices\" : [\n              \"" + start + "\",\n              \"" + (start + h.length() + 1) + "\"\n            ],\n"
                + "            \"id_str\" : \"" + id(person) + "\",\n            \"id\" : \"" + id(person) + "\"\n          }";
    }

    /** Counts the bytes that reach the file, so the media can fill it to the size wanted. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Lets a Writer be flushed into one zip entry without closing the zip. */
    private static final class Unclosable extends FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
