package reciprocity.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The RFC 9457 body every error response carries. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field) {}
