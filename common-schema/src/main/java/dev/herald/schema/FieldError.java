package dev.herald.schema;

/** One bad field of an input: its JSON path (e.g. {@code recipients[3]}) and what is wrong with it. */
public record FieldError(String field, String message) {
}
