package reciprocity.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HandleIndexTest {

    @Test
    void finds_exactly_the_keys_it_holds_and_nothing_that_only_overlaps_them() {
        Random random = new Random(3);
        String[] platforms = {"x", "github", "mastodon"};
        Map<String, Integer> expected = new HashMap<>();
        List<HandleIndex.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String platform = platforms[random.nextInt(platforms.length)];
            String handle = Integer.toString(random.nextInt(5_000), 36);
            if (expected.putIfAbsent(platform + " " + handle, i) == null) entries.add(new HandleIndex.Entry(platform, handle, i));
        }
        entries.add(new HandleIndex.Entry("x", "two\nx lines", 99_999));
        HandleIndex index = new HandleIndex(entries);
        for (String platform : platforms) {
            for (int h = 0; h < 6_000; h++) {
                String handle = Integer.toString(h, 36);
                assertEquals(expected.getOrDefault(platform + " " + handle, -1), index.get(platform, handle), platform + " " + handle);
            }
        }
        // Prefixes and extensions of held keys, and keys that span two of them, are not held.
        String some = entries.get(0).handle();
        assertEquals(-1, index.get(entries.get(0).platform(), some + "0"));
        assertEquals(-1, index.get(entries.get(0).platform(), some.substring(0, some.length() - 1)));
        assertEquals(-1, index.get("x", "two"));
        assertEquals(-1, index.get("x", "two\nx lines"));
        assertEquals(-1, index.get("x", some + "\nx " + entries.get(1).handle()));
        assertEquals(-1, index.get("", ""));
        assertEquals(-1, HandleIndex.EMPTY.get("x", "alice"));
    }

    /** Keys kept in their slot and keys kept beside the slots (long or not ASCII) are found alike, and only exactly. */
    @Test
    void finds_short_long_and_non_ascii_keys_exactly() {
        List<String> handles = new ArrayList<>(List.of("a", "ab", "a\u0000", "ab\u0000", "\u00e9l\u00e8ve", "\u00ff", "\u0100x", "na\u00efve",
                "\ud83d\ude00smile", "tab\there"));
        // Lengths around the slot's limit: "x " plus the handle is 22 to 27 characters.
        for (int n = 20; n <= 25; n++) handles.add("h".repeat(n));
        for (int n = 20; n <= 25; n++) handles.add("h".repeat(n - 1) + "\u00e9");
        handles.add("long".repeat(40));
        List<HandleIndex.Entry> entries = new ArrayList<>();
        for (int i = 0; i < handles.size(); i++) entries.add(new HandleIndex.Entry("x", handles.get(i), i));
        entries.add(new HandleIndex.Entry("mastodon", "alice@social.example.org", 1_000));
        entries.add(new HandleIndex.Entry("mastodon", "alice@social.example.or", 1_001));
        HandleIndex index = new HandleIndex(entries);
        for (int i = 0; i < handles.size(); i++) {
            assertEquals(i, index.get("x", handles.get(i)), handles.get(i));
            assertEquals(-1, index.get("github", handles.get(i)), "another platform: " + handles.get(i));
            for (String other : List.of(handles.get(i) + "h", handles.get(i) + "\u0000", handles.get(i).substring(1))) {
                assertEquals(handles.indexOf(other), index.get("x", other), "a key one character off: " + other);
            }
        }
        assertEquals(1_000, index.get("mastodon", "alice@social.example.org"));
        assertEquals(1_001, index.get("mastodon", "alice@social.example.or"));
        assertEquals(-1, index.get("mastodon", "alice@social.example.o"));
        assertEquals(-1, index.get("x", "H".repeat(20)));
        assertEquals(-1, index.get("x h", "a"), "the space between platform and handle moved");
        assertEquals(-1, index.get("x", " a"));
    }
}
