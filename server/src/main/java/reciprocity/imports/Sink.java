package reciprocity.imports;

/** Where a reader puts what it finds; the import job writes it in chunks (or only counts it, on the first pass). */
interface Sink {
    /** The user's own handle on a platform, as the file says (idempotent; not an entry). */
    void identity(String platform, String handle);

    void accept(Entry entry);
}
