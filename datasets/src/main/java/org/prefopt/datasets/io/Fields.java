package org.prefopt.datasets.io;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed access to the fields of one JSON record, with errors that name the field and what was found. */
public final class Fields {

    private Fields() {
    }

    /** A required string field. */
    public static String text(JsonNode record, String field) throws BadRecordException {
        JsonNode v = record.get(field);
        if (v == null || v.isNull()) {
            throw new BadRecordException("missing field '" + field + "' (fields present: " + names(record) + ")");
        }
        if (!v.isTextual()) {
            throw new BadRecordException("field '" + field + "' must be a string (got " + kind(v) + ")");
        }
        return v.asText();
    }

    /** A required non-blank string field. */
    public static String nonBlank(JsonNode record, String field) throws BadRecordException {
        String s = text(record, field);
        if (s.isBlank()) {
            throw new BadRecordException("field '" + field + "' is empty");
        }
        return s;
    }

    /** An optional string field: null when absent or JSON null; numbers are accepted and written as text. */
    public static String optionalText(JsonNode record, String field) throws BadRecordException {
        JsonNode v = record.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual() || v.isNumber()) {
            return v.asText();
        }
        throw new BadRecordException("field '" + field + "' must be a string (got " + kind(v) + ")");
    }

    /** A required positive integer, given as a JSON integer or a string of digits. */
    public static int positiveInt(JsonNode record, String field) throws BadRecordException {
        JsonNode v = record.get(field);
        if (v == null || v.isNull()) {
            throw new BadRecordException("missing field '" + field + "' (fields present: " + names(record) + ")");
        }
        long value;
        if (v.isIntegralNumber()) {
            value = v.asLong();
        } else if (v.isTextual() && v.asText().trim().matches("[0-9]{1,9}")) {
            value = Long.parseLong(v.asText().trim());
        } else {
            throw new BadRecordException("field '" + field + "' must be a positive integer (got " + v + ")");
        }
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw new BadRecordException("field '" + field + "' must be a positive integer (got " + value + ")");
        }
        return (int) value;
    }

    static String kind(JsonNode v) {
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String names(JsonNode record) {
        StringBuilder sb = new StringBuilder("[");
        record.fieldNames().forEachRemaining(n -> sb.append(sb.length() > 1 ? ", " : "").append(n));
        return sb.append(']').toString();
    }
}
