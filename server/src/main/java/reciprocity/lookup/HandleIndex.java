package reciprocity.lookup;

import java.util.List;

/**
 * Handles ({@code platform handle}) to a number, packed into one string and three int arrays rather than a map of
 * strings and boxed values: a user's thousands of handles stay a handful of objects for the collector, and a lookup
 * compares characters in place without building a key.
 */
final class HandleIndex {
    /** One entry while building. */
    record Entry(String platform, String handle, int value) {}

    static final HandleIndex EMPTY = new HandleIndex(List.of());

    private final String text;
    private final int[] start;
    private final int[] values;
    private final int[] slots;

    HandleIndex(List<Entry> entries) {
        int n = entries.size();
        StringBuilder sb = new StringBuilder(n * 16);
        start = new int[n + 1];
        values = new int[n];
        slots = new int[Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1];
        int mask = slots.length - 1;
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            start[i] = sb.length();
            sb.append(e.platform()).append(' ').append(e.handle());
            values[i] = e.value();
            int slot = hash(e.platform(), e.handle()) & mask;
            while (slots[slot] != 0) slot = (slot + 1) & mask;
            slots[slot] = i + 1;
        }
        start[n] = sb.length();
        text = sb.toString();
    }

    /** The value stored for this handle, or -1. */
    int get(String platform, String handle) {
        int mask = slots.length - 1;
        int keyLength = platform.length() + 1 + handle.length();
        for (int slot = hash(platform, handle) & mask; ; slot = (slot + 1) & mask) {
            int entry = slots[slot] - 1;
            if (entry < 0) return -1;
            int s = start[entry];
            if (start[entry + 1] - s == keyLength && text.startsWith(platform, s) && text.charAt(s + platform.length()) == ' '
                    && text.startsWith(handle, s + platform.length() + 1)) {
                return values[entry];
            }
        }
    }

    boolean contains(String platform, String handle) {
        return get(platform, handle) >= 0;
    }

    int size() {
        return values.length;
    }

    private static int hash(String platform, String handle) {
        int h = platform.hashCode() * 31 + ' ';
        for (int i = 0; i < handle.length(); i++) h = 31 * h + handle.charAt(i);
        return h ^ (h >>> 16);
    }
}
