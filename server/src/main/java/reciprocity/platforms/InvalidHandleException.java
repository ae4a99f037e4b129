package reciprocity.platforms;

/** A handle a person typed breaks the platform's rules; the message names the rule so it can be shown to them as is. */
public final class InvalidHandleException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidHandleException(String message) {
        super(message);
    }
}
