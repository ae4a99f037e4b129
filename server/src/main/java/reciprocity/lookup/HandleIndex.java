package reciprocity.lookup;

import java.util.List;

/**
 * Handles ({@code platform handle}) to a number, packed into one string and one long array rather than a map of
 * strings and boxed values: a user's thousands of handles stay a handful of objects for the collector, and a lookup
 * compares characters in place without building a key. A lookup touches two places in memory, its slot and its key's
 * text, which matters when a batch looks up people across many users' ledgers that the CPU's caches cannot all hold.
 */
final class HandleIndex {
    /** One entry while building. */
    record Entry(String platform, String handle, int value) {}

    static final HandleIndex EMPTY = new HandleIndex(List.of());

    /** Each key as {@code platform handle\n}; no platform or handle holds a newline (see {@link #get}). */
    private final String text;
    /** Open addressing by key hash: 0 for an empty slot, else {@code (start of the key in text + 1) << 32 | value}. */
    private final long[] slots;

    HandleIndex(List<Entry> entries) {
        StringBuilder sb = new StringBuilder(entries.size() * 16);
        slots = new long[Integer.highestOneBit(Math.max(4, entries.size() * 2 - 1)) << 1];
        int mask = slots.length - 1;
        for (Entry e : entries) {
            // A key with a newline could be mistaken for a longer one; none can be looked up, so none is kept.
            if (e.platform().indexOf('\n') >= 0 || e.handle().indexOf('\n') >= 0) continue;
            int slot = hash(e.platform(), e.handle()) & mask;
            while (slots[slot] != 0) slot = (slot + 1) & mask;
            slots[slot] = (long) (sb.length() + 1) << 32 | (e.value() & 0xffff_ffffL);
            sb.append(e.platform()).append(' ').append(e.handle()).append('\n');
        }
        text = sb.toString();
    }

    /** The value stored for this handle, or -1. */
    int get(String platform, String handle) {
        if (platform.indexOf('\n') >= 0 || handle.indexOf('\n') >= 0) return -1;
        int mask = slots.length - 1;
        int p = platform.length(), end = p + 1 + handle.length();
        for (int slot = hash(platform, handle) & mask; ; slot = (slot + 1) & mask) {
            long entry = slots[slot];
            if (entry == 0) return -1;
            int s = (int) (entry >>> 32) - 1;
            if (s + end < text.length() && text.startsWith(platform, s) && text.charAt(s + p) == ' '
                    && text.startsWith(handle, s + p + 1) && text.charAt(s + end) == '\n') {
                return (int) entry;
            }
        }
    }

    boolean contains(String platform, String handle) {
        return get(platform, handle) >= 0;
    }

    private static int hash(String platform, String handle) {
        int h = platform.hashCode() * 31 + ' ';
        for (int i = 0; i < handle.length(); i++) h = 31 * h + handle.charAt(i);
        return h ^ (h >>> 16);
    }
}
