package org.prefopt.backends.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/** Token-to-id table of a {@code tokenizer.json} (model vocabulary plus added tokens). */
final class TokenizerVocab {

    private final Map<String, Integer> ids;
    private final int size;

    private TokenizerVocab(Map<String, Integer> ids, int size) {
        this.ids = ids;
        this.size = size;
    }

    static TokenizerVocab read(Path tokenizerJson) {
        JsonNode root = JsonFiles.readObject(tokenizerJson);
        JsonNode model = root.get("model");
        if (model == null || !model.isObject()) {
            throw new TokenizerFormatException(tokenizerJson + ": missing the 'model' object", null);
        }
        Map<String, Integer> ids = new HashMap<>();
        int max = -1;
        JsonNode vocab = model.path("vocab");
        if (vocab.isObject()) {           // BPE, WordPiece, WordLevel
            var it = vocab.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (!e.getValue().isIntegralNumber()) {
                    throw new TokenizerFormatException(tokenizerJson + ": model.vocab['" + e.getKey()
                            + "'] is not an integer id", null);
                }
                int id = e.getValue().asInt();
                ids.put(e.getKey(), id);
                max = Math.max(max, id);
            }
        } else if (vocab.isArray()) {      // Unigram: [[piece, score], ...], id = position
            int id = 0;
            for (JsonNode piece : vocab) {
                ids.putIfAbsent(piece.path(0).asText(), id);
                id++;
            }
            max = id - 1;
        } else {
            throw new TokenizerFormatException(tokenizerJson + ": model.vocab must be an object or a list (model type "
                    + model.path("type").asText("unknown") + ")", null);
        }
        JsonNode added = root.path("added_tokens");
        if (added.isArray()) {
            for (JsonNode t : added) {
                if (!t.path("id").isIntegralNumber() || !t.path("content").isTextual()) {
                    throw new TokenizerFormatException(tokenizerJson + ": added_tokens entry needs an integer 'id'"
                            + " and a string 'content', found " + t, null);
                }
                ids.put(t.get("content").asText(), t.get("id").asInt());
                max = Math.max(max, t.get("id").asInt());
            }
        }
        return new TokenizerVocab(ids, max + 1);
    }

    OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Highest id plus one: the number of embedding rows the tokenizer can address. */
    int size() {
        return size;
    }
}
