package reciprocity.imports;

import java.time.Instant;
import java.util.List;

/** An import job as the API shows it: state, progress counts and the first 100 entries that could not be imported. */
public record ImportView(long id, String state, String format, long processed, Long total, long created, long duplicates,
                         long errorCount, List<ImportError> errors, String reason, Instant createdAt, Instant startedAt,
                         Instant finishedAt) {}
