package org.prefopt.backends.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the JSON files of a model directory with errors that name the file and the problem. */
final class JsonFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFiles() {
    }

    /** The parsed file; it must hold a JSON object. */
    static JsonNode readObject(Path file) {
        JsonNode node;
        try {
            node = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new TokenizerFormatException(file + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")"), e);
        } catch (NoSuchFileException e) {
            throw new TokenizerFormatException(file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (node == null || !node.isObject()) {
            throw new TokenizerFormatException(file + " must contain a JSON object, found "
                    + (node == null || node.isMissingNode() ? "nothing" : node.getNodeType().toString().toLowerCase()), null);
        }
        return node;
    }

    static boolean exists(Path file) {
        return Files.isRegularFile(file);
    }

    /** A token given as a plain string or as an AddedToken object {@code {"content": ...}}; null if absent. */
    static String tokenContent(JsonNode node, Path file, String key) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isObject() && node.path("content").isTextual()) {
            return node.get("content").asText();
        }
        throw new TokenizerFormatException(file + ": '" + key + "' must be a string or an object with a string"
                + " 'content', found " + node, null);
    }
}
