package reciprocity.lookup;

import java.util.List;

/**
 * Handles ({@code platform handle}) to a number, packed into one long array rather than a map of strings and boxed
 * values: a user's thousands of handles stay a couple of objects for the collector, and a lookup compares in place
 * without building a key. Each slot holds its key's length and value and, for a key of at most {@value #INLINE} ASCII
 * characters (nearly every handle), the key itself, so a lookup touches one place in memory: when a batch looks up
 * people across many users' ledgers, which the CPU's caches cannot all hold, each place is a cache miss. Longer keys
 * are kept in a string beside the slots.
 */
final class HandleIndex {
    /** One entry while building. */
    record Entry(String platform, String handle, int value) {}

    static final HandleIndex EMPTY = new HandleIndex(List.of());

    /** Longs per slot: the slot's head, then the key's bytes (or, for a longer key, its start in {@link #text}). */
    private static final int S = 4;
    /** The longest key kept in its slot, in characters ({@code S - 1} longs of one byte each). */
    static final int INLINE = (S - 1) * 8;
    private static final long INLINED = 1L << 31;

    /**
     * Open addressing by key hash, {@link #S} longs a slot. Head: 0 for an empty slot, else {@code value << 32 | inlined
     * flag << 31 | key length} (a key is never empty: it holds at least the space).
     */
    private final long[] slots;
    /** Keys longer than {@link #INLINE} or not ASCII, one after another as {@code platform handle}. */
    private final String text;

    HandleIndex(List<Entry> entries) {
        StringBuilder sb = new StringBuilder();
        int size = Integer.highestOneBit(Math.max(4, entries.size() * 2 - 1)) << 1;
        slots = new long[size * S];
        int mask = size - 1;
        for (Entry e : entries) {
            // A key with a newline is refused by get(), so none is kept (as handles never hold one).
            if (e.platform().indexOf('\n') >= 0 || e.handle().indexOf('\n') >= 0) continue;
            int slot = hash(e.platform(), e.handle()) & mask;
            while (slots[slot * S] != 0) slot = (slot + 1) & mask;
            int at = slot * S;
            int length = e.platform().length() + 1 + e.handle().length();
            if (inlinable(e.platform(), e.handle(), length)) {
                slots[at] = head(e.value(), true, length);
                for (int w = 0; w < S - 1; w++) slots[at + 1 + w] = word(e.platform(), e.handle(), length, w * 8);
            } else {
                slots[at] = head(e.value(), false, length);
                slots[at + 1] = sb.length();
                sb.append(e.platform()).append(' ').append(e.handle());
            }
        }
        text = sb.toString();
    }

    /** The value stored for this handle, or -1. */
    int get(String platform, String handle) {
        int p = platform.length(), length = p + 1 + handle.length();
        boolean inline = inlinable(platform, handle, length);
        long k0 = 0, k1 = 0, k2 = 0;
        if (inline) {
            k0 = word(platform, handle, length, 0);
            k1 = word(platform, handle, length, 8);
            k2 = word(platform, handle, length, 16);
        } else if (platform.indexOf('\n') >= 0 || handle.indexOf('\n') >= 0) {
            return -1;
        }
        int wanted = (int) head(0, inline, length);
        int mask = slots.length / S - 1;
        for (int slot = hash(platform, handle) & mask; ; slot = (slot + 1) & mask) {
            int at = slot * S;
            long head = slots[at];
            if (head == 0) return -1;
            if ((int) head != wanted) continue;
            if (inline ? slots[at + 1] == k0 && slots[at + 2] == k1 && slots[at + 3] == k2 : inText((int) slots[at + 1], platform, handle)) {
                return (int) (head >>> 32);
            }
        }
    }

    boolean contains(String platform, String handle) {
        return get(platform, handle) >= 0;
    }

    private boolean inText(int start, String platform, String handle) {
        int p = platform.length();
        return text.startsWith(platform, start) && text.charAt(start + p) == ' ' && text.startsWith(handle, start + p + 1);
    }

    private static long head(int value, boolean inline, int length) {
        return (long) value << 32 | (inline ? INLINED : 0) | length;
    }

    /** Whether the key fits in a slot: short, and ASCII without a newline (so one byte per character). */
    private static boolean inlinable(String platform, String handle, int length) {
        if (length > INLINE) return false;
        for (int i = 0; i < platform.length(); i++) {
            char c = platform.charAt(i);
            if (c >= 0x80 || c == '\n') return false;
        }
        for (int i = 0; i < handle.length(); i++) {
            char c = handle.charAt(i);
            if (c >= 0x80 || c == '\n') return false;
        }
        return true;
    }

    /** Characters {@code [from, from + 8)} of {@code platform + ' ' + handle} as bytes, the first lowest, zero past the end. */
    private static long word(String platform, String handle, int length, int from) {
        long w = 0;
        int p = platform.length();
        for (int i = Math.min(length, from + 8) - 1; i >= from; i--) {
            char c = i < p ? platform.charAt(i) : i == p ? ' ' : handle.charAt(i - p - 1);
            w = w << 8 | c;
        }
        return w;
    }

    private static int hash(String platform, String handle) {
        int h = platform.hashCode() * 31 + ' ';
        for (int i = 0; i < handle.length(); i++) h = 31 * h + handle.charAt(i);
        return h ^ (h >>> 16);
    }
}
