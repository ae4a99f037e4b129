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
}
