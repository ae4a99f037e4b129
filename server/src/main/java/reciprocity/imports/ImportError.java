package reciprocity.imports;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One entry that could not be imported: where it is in the file and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportError(String entry, Long line, String reason) {}
