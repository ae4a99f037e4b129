package reciprocity.platforms;

/** Text given as a link is not a usable web address; the message says what is wrong so it can be shown to the person as is. */
public final class MalformedUrlException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MalformedUrlException(String message) {
        super(message);
    }
}
