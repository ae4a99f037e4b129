package reciprocity.imports;

import java.time.Instant;
import java.util.List;
import reciprocity.interactions.InteractionService;
import reciprocity.ledger.PersonRef;

/**
 * One thing a reader found in a file, in file order: an interaction, a contact, an obligation state to carry over, or
 * an entry that could not be read. Entries are what `processed` counts, and each is written all-or-nothing.
 *
 * @param entry where it is, e.g. `tweets.js[12]` or `messages.csv`
 * @param line the line in that file where the entry starts, when the reader knows it
 */
record Entry(String entry, Long line, InteractionService.Create interaction, String personName, Contact contact,
             ObligationState obligation, Long ref, boolean fromExport, String error) {

    /** A contact to find (by any of its handles, else by name when it has none) or create. */
    record Contact(String displayName, String notes, List<String> tags, Integer cadenceDays, List<PersonRef> handles) {}

    /** A dismissed or snoozed obligation of a reciprocity export, to carry over onto the re-derived one. */
    record ObligationState(String type, Long interactionRef, Long contactRef, String state, Instant snoozedUntil) {}

    static Entry interaction(String entry, Long line, InteractionService.Create create) {
        return new Entry(entry, line, create, null, null, null, null, false, null);
    }

    /** An interaction with someone known only by name: the contact of that display name, created when there is none. */
    static Entry withNamedPerson(String entry, Long line, String personName, InteractionService.Create create) {
        return new Entry(entry, line, create, personName, null, null, null, false, null);
    }

    /**
     * An interaction of a reciprocity export: a contactId person is the export's contact id; {@code ref}, when given, is
     * the interaction's id there (kept so an obligation state can find it).
     */
    static Entry exported(String entry, Long line, InteractionService.Create create, Long ref) {
        return new Entry(entry, line, create, null, null, null, ref, true, null);
    }

    static Entry contact(String entry, Long line, Contact contact, Long ref) {
        return new Entry(entry, line, null, null, contact, null, ref, ref != null, null);
    }

    static Entry obligation(String entry, ObligationState state) {
        return new Entry(entry, null, null, null, null, state, null, true, null);
    }

    static Entry error(String entry, Long line, String reason) {
        return new Entry(entry, line, null, null, null, null, null, false, reason);
    }
}
