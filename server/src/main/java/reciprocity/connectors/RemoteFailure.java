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

    RemoteFailure(Kind kind, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    RemoteFailure(Kind kind, String message) {
        this(kind, message, null);
    }
}
