package org.prefopt.backends.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code tokenizer_config.json}, {@code chat_template.jinja} and {@code generation_config.json}
 * say about special tokens, the chat template and end-of-generation ids.
 *
 * @param specialTokens bos_token, eos_token, unk_token, pad_token, ... by name (only those set), as
 *     transformers passes them to chat templates
 * @param additionalSpecialTokens {@code additional_special_tokens}
 * @param chatTemplate the template to use without tools, or null
 * @param chatTemplateOrigin where it came from, for error messages
 * @param chatTemplateProblem why there is no usable template although one was declared, or null
 * @param addedTokens {@code added_tokens_decoder} as content to id
 * @param generationEosIds {@code eos_token_id} of generation_config.json (int or list)
 * @param generationPadId {@code pad_token_id} of generation_config.json, or null
 */
record TokenizerSettings(
        Map<String, String> specialTokens,
        List<String> additionalSpecialTokens,
        String chatTemplate,
        String chatTemplateOrigin,
        String chatTemplateProblem,
        Map<String, Integer> addedTokens,
        Set<Integer> generationEosIds,
        Integer generationPadId) {

    private static final List<String> SPECIAL_KEYS =
            List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");

    static TokenizerSettings read(Path modelDir) {
        Path configFile = modelDir.resolve("tokenizer_config.json");
        Map<String, String> special = new LinkedHashMap<>();
        List<String> additional = new ArrayList<>();
        Map<String, Integer> added = new LinkedHashMap<>();
        String template = null;
        String origin = null;
        String problem = null;
        if (JsonFiles.exists(configFile)) {
            JsonNode config = JsonFiles.readObject(configFile);
            for (String key : SPECIAL_KEYS) {
                String content = JsonFiles.tokenContent(config.get(key), configFile, key);
                if (content != null) {
                    special.put(key, content);
                }
            }
            JsonNode extra = config.path("additional_special_tokens");
            if (extra.isArray()) {
                for (JsonNode t : extra) {
                    additional.add(JsonFiles.tokenContent(t, configFile, "additional_special_tokens"));
                }
            }
            JsonNode decoder = config.path("added_tokens_decoder");
            if (!decoder.isMissingNode() && !decoder.isObject()) {
                throw new TokenizerFormatException(configFile + ": 'added_tokens_decoder' must be an object", null);
            }
            decoder.fields().forEachRemaining(e -> {
                int id;
                try {
                    id = Integer.parseInt(e.getKey());
                } catch (NumberFormatException ex) {
                    throw new TokenizerFormatException(configFile + ": 'added_tokens_decoder' key '" + e.getKey()
                            + "' is not a token id", ex);
                }
                added.put(JsonFiles.tokenContent(e.getValue(), configFile, "added_tokens_decoder." + id), id);
            });
            JsonNode ct = config.get("chat_template");
            if (ct != null && !ct.isNull()) {
                origin = configFile + " (chat_template)";
                if (ct.isTextual()) {
                    template = ct.asText();
                } else if (ct.isArray()) {
                    // transformers: a list of named templates; without tools it uses the one named "default".
                    List<String> names = new ArrayList<>();
                    for (JsonNode named : ct) {
                        String name = named.path("name").asText(null);
                        JsonNode body = named.path("template");
                        if (name == null || !body.isTextual()) {
                            throw new TokenizerFormatException(configFile + ": each 'chat_template' list entry needs"
                                    + " a string 'name' and a string 'template', found " + named, null);
                        }
                        names.add(name);
                        if (name.equals("default")) {
                            template = body.asText();
                            origin = configFile + " (chat_template 'default')";
                        }
                    }
                    if (template == null) {
                        problem = configFile + " has chat templates " + names + " but none named 'default'";
                    }
                } else {
                    throw new TokenizerFormatException(configFile + ": 'chat_template' must be a string or a list of"
                            + " {name, template} objects, found " + ct.getNodeType().toString().toLowerCase(), null);
                }
            }
        }
        // Newer transformers save the template beside the config; it takes precedence there too.
        Path jinja = modelDir.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) {
            try {
                template = Files.readString(jinja, StandardCharsets.UTF_8);
                origin = jinja.toString();
                problem = null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + jinja, e);
            }
        }
        Set<Integer> eos = new LinkedHashSet<>();
        Integer genPad = null;
        Path genFile = modelDir.resolve("generation_config.json");
        if (JsonFiles.exists(genFile)) {
            JsonNode gen = JsonFiles.readObject(genFile);
            JsonNode e = gen.path("eos_token_id");
            if (e.isIntegralNumber()) {
                eos.add(e.asInt());
            } else if (e.isArray()) {
                for (JsonNode id : e) {
                    if (!id.isIntegralNumber()) {
                        throw new TokenizerFormatException(genFile + ": 'eos_token_id' list holds a non-integer " + id, null);
                    }
                    eos.add(id.asInt());
                }
            } else if (!e.isMissingNode() && !e.isNull()) {
                throw new TokenizerFormatException(genFile + ": 'eos_token_id' must be an integer or a list of"
                        + " integers, found " + e, null);
            }
            JsonNode p = gen.path("pad_token_id");
            if (p.isIntegralNumber()) {
                genPad = p.asInt();
            }
        }
        return new TokenizerSettings(Collections.unmodifiableMap(special), List.copyOf(additional), template, origin,
                problem, Collections.unmodifiableMap(added), Collections.unmodifiableSet(eos), genPad);
    }
}
