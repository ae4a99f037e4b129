package reciprocity.db;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows for {@code COPY table (columns) FROM STDIN (FORMAT binary)}, PostgreSQL's cheapest way in: no SQL per row, no
 * text parsing of numbers or timestamps. Write each row as {@link #row} followed by exactly that many fields, then
 * {@link #copy} it in the caller's transaction. Only the three types the ledger writes are needed.
 */
public final class BinaryCopy {
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** PostgreSQL's timestamps count microseconds from 2000-01-01T00:00:00Z. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    private final Buffer out = new Buffer();
    private int rows;

    public BinaryCopy() {
        out.bytes(HEADER);
    }

    public BinaryCopy row(int fields) {
        out.int16(fields);
        rows++;
        return this;
    }

    public BinaryCopy bigint(long v) {
        out.int32(8);
        out.int64(v);
        return this;
    }

    public BinaryCopy bigint(Long v) {
        return v == null ? nul() : bigint(v.longValue());
    }

    public BinaryCopy text(String v) {
        if (v == null) return nul();
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        out.int32(b.length);
        out.bytes(b);
        return this;
    }

    /** A timestamptz, exact to the microsecond (finer parts are cut, as PostgreSQL would round them away). */
    public BinaryCopy timestamptz(Instant v) {
        if (v == null) return nul();
        out.int32(8);
        out.int64(Math.addExact(Math.multiplyExact(v.getEpochSecond() - PG_EPOCH_SECONDS, 1_000_000L), v.getNano() / 1_000));
        return this;
    }

    public BinaryCopy nul() {
        out.int32(-1);
        return this;
    }

    public int rows() {
        return rows;
    }

    /** Sends the rows with {@code copySql} ({@code COPY t (c, ...) FROM STDIN (FORMAT binary)}); returns the rows stored. */
    public long copy(Handle h, String copySql) {
        out.int16(-1);
        try {
            CopyIn in = h.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
            try {
                in.writeToCopy(out.array(), 0, out.size());
                return in.endCopy();
            } finally {
                if (in.isActive()) in.cancelCopy();
            }
        } catch (SQLException e) {
            throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(e, null);
        }
    }

    /** A growable byte array with big-endian integers, as the binary COPY format wants them. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(64 * 1024);
        }

        void int16(int v) {
            ensure(2);
            buf[count++] = (byte) (v >>> 8);
            buf[count++] = (byte) v;
        }

        void int32(int v) {
            ensure(4);
            buf[count++] = (byte) (v >>> 24);
            buf[count++] = (byte) (v >>> 16);
            buf[count++] = (byte) (v >>> 8);
            buf[count++] = (byte) v;
        }

        void int64(long v) {
            int32((int) (v >>> 32));
            int32((int) v);
        }

        void bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, count, b.length);
            count += b.length;
        }

        private void ensure(int n) {
            if (count + n > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + n));
        }

        byte[] array() {
            return buf;
        }
    }
}
