package reciprocity.lookup;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes the copies that ledgers keep on the side (written summaries) may still take, shared by all users'
 * ledgers so that many active users cannot grow the heap without bound: a copy is kept only while there is room, and
 * its bytes come back when it is replaced or its ledger is dropped.
 */
final class ByteBudget {
    private final AtomicLong left;

    ByteBudget(long bytes) {
        this.left = new AtomicLong(bytes);
    }

    /** Takes {@code bytes} if that many are left. */
    boolean take(long bytes) {
        for (long l = left.get(); l >= bytes; l = left.get()) {
            if (left.compareAndSet(l, l - bytes)) return true;
        }
        return false;
    }

    void give(long bytes) {
        left.addAndGet(bytes);
    }

    long left() {
        return left.get();
    }
}
