package dev.ssekit.examples;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;

/**
 * A request's JSON object body, with accessors that turn every kind of bad input into a 400
 * {@link ApiException} naming the field and what was expected. Immutable.
 */
final class JsonBody {

    /** The largest body read, in bytes. */
    static final int MAX_BYTES = 16 * 1024;

    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    /**
     * Parses a body.
     *
     * @throws ApiException 400 if it is not exactly one JSON object (no trailing content, no
     *     duplicate keys)
     */
    static JsonBody parse(ObjectMapper mapper, byte[] bytes) {
        JsonNode root;
        try {
            // One object and nothing else: no trailing content, no key given twice.
            root = mapper.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("request body is not valid JSON: it is nested too"
                    + " deeply or holds a value that is too long");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("request body is not valid JSON: " + where(e));
        } catch (IOException e) {
            throw ApiException.badRequest("request body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        return new JsonBody(root);
    }

    // Jackson's own messages name its classes and settings; the client gets the place only.
    private static String where(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        if (location == null || location.getLineNr() < 1 || location.getColumnNr() < 1) {
            return "malformed JSON";
        }
        return "malformed JSON at line " + location.getLineNr() + ", column "
                + location.getColumnNr();
    }

    /** A required, non-blank string field of at most {@code maxLength} characters. */
    String text(String field, int maxLength) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("field '" + field + "' is required");
        }
        return checkText(field, node, maxLength);
    }

    /** An optional string field; {@code fallback} when absent or null. */
    String text(String field, int maxLength, String fallback) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        return checkText(field, node, maxLength);
    }

    /** A required whole-number field between {@code min} and {@code max}. */
    long number(String field, long min, long max) {
        JsonNode node = root.get(field);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw ApiException.badRequest("field '" + field + "' must be a whole number");
        }
        long value = node.asLong();
        if (value < min || value > max) {
            throw ApiException.badRequest("field '" + field + "' must be between " + min
                    + " and " + max + ", got " + value);
        }
        return value;
    }

    private static String checkText(String field, JsonNode node, int maxLength) {
        Objects.requireNonNull(node, "node");
        if (!node.isTextual()) {
            throw ApiException.badRequest("field '" + field + "' must be a string");
        }
        String value = node.asText().strip();
        if (value.isEmpty()) {
            throw ApiException.badRequest("field '" + field + "' must not be blank");
        }
        if (value.length() > maxLength) {
            throw ApiException.badRequest("field '" + field + "' must be at most " + maxLength
                    + " characters, got " + value.length());
        }
        return value;
    }
}
