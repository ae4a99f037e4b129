package reciprocity.connectors;

import java.time.Duration;

/**
 * A remote API did not give what a sync needs. The message is shown to the user as the connector's `lastError`, so it
 * never holds a credential or a response body.
 */
final class RemoteFailure extends Exception {
    /** What went wrong, which decides the connector's state: `error` (fix something) or `backoff` (wait and retry). */
    enum Kind {
        REJECTED_CREDENTIALS(true), RATE_LIMITED(false), UNAVAILABLE(false), TIMEOUT(false), UNREACHABLE(false),
        MALFORMED(true), REFUSED(true),
        /** The host resolves to a loopback, private or otherwise non-public address (see {@link PublicHosts}). */
        PRIVATE_ADDRESS(true);

        final boolean needsAttention;

        Kind(boolean needsAttention) {
            this.needsAttention = needsAttention;
        }
    }

    final Kind kind;
    /** From `Retry-After` (or a rate-limit reset), when the remote said how long to wait. */
    final Duration retryAfter;
    /** The HTTP status the remote answered, or 0 when it gave none (timeout, unreachable, refused before sending). */
    final int status;
    /** The error code in the remote's JSON error body (`{"error":"ExpiredToken"}`), or null. */
    final String remoteError;

    RemoteFailure(Kind kind, String message, Duration retryAfter, int status, String remoteError) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
        this.status = status;
        this.remoteError = remoteError;
    }

    RemoteFailure(Kind kind, String message, Duration retryAfter) {
        this(kind, message, retryAfter, 0, null);
    }

    RemoteFailure(Kind kind, String message) {
        this(kind, message, null);
    }
}
