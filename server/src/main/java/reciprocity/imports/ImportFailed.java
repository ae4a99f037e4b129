package reciprocity.imports;

/** A file that cannot be read at all as the format claimed; the message is the one reason shown on the import. */
final class ImportFailed extends RuntimeException {
    ImportFailed(String reason) {
        super(reason, null, false, false);
    }
}
