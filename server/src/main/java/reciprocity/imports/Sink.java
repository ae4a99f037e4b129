package reciprocity.imports;

/** Where a reader puts what it finds; the import job writes it in chunks (or only counts it, on the first pass). */
interface Sink {
    /** The user's own handle on a platform, as the file says (idempotent; not an entry). */
    void identity(String platform, String handle);

    void accept(Entry entry);

    /**
     * The first pass's sink: counts the entries and keeps none. A reader may tell it {@link #one()} instead of building
     * an entry it would hand over, as long as it counts exactly the entries {@link FormatReader#read} hands a writer.
     */
    final class Counter implements Sink {
        private long entries;

        @Override
        public void identity(String platform, String handle) {}

        @Override
        public void accept(Entry entry) {
            entries++;
        }

        /** One entry, not built. */
        void one() {
            entries++;
        }

        long entries() {
            return entries;
        }
    }
}
