package dev.ssekit;

/** Validation shared by the event model and the encoder. */
final class FieldRules {

    private FieldRules() {
    }

    /**
     * Rejects a value that would break out of its line on the wire.
     *
     * @throws IllegalArgumentException naming the field if the value holds CR, LF or NUL
     */
    static void checkLineFree(String field, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException(field + " must not contain CR, LF or NUL, "
                        + "found U+" + String.format("%04X", (int) c) + " at index " + i);
            }
        }
    }
}
