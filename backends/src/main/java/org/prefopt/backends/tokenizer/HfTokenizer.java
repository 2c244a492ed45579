package org.prefopt.backends.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.prefopt.api.model.ChatMessage;
import org.prefopt.api.model.TextTokenizer;
import org.prefopt.backends.tokenizer.jinja.JinjaTemplate;

/**
 * A Hugging Face tokenizer directory: {@code tokenizer.json} through DJL's binding of the Rust
 * {@code tokenizers} library, special tokens and chat template from {@code tokenizer_config.json},
 * end-of-generation ids from {@code generation_config.json}. Create with {@link HfTokenizers#load}.
 *
 * <p>Holds a native tokenizer; {@link #close()} frees it early (otherwise the garbage collector does).
 */
public final class HfTokenizer implements TextTokenizer, AutoCloseable {

    private final Path directory;
    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final Set<Integer> eosTokenIds;
    private final OptionalInt padTokenId;
    private final JinjaTemplate chatTemplate;
    private final String chatTemplateProblem;
    private final Map<String, Object> templateGlobals;

    HfTokenizer(Path directory, HuggingFaceTokenizer tokenizer, TokenizerVocab vocab, TokenizerSettings settings) {
        this.directory = directory;
        this.tokenizer = tokenizer;
        this.vocabSize = vocab.size();
        Set<Integer> eos = new LinkedHashSet<>(settings.generationEosIds());
        String eosToken = settings.specialTokens().get("eos_token");
        if (eosToken != null) {
            eos.add(resolve(vocab, settings, eosToken, "eos_token"));
        }
        this.eosTokenIds = Collections.unmodifiableSet(eos);
        String padToken = settings.specialTokens().get("pad_token");
        if (padToken != null) {
            this.padTokenId = OptionalInt.of(resolve(vocab, settings, padToken, "pad_token"));
        } else if (settings.generationPadId() != null) {
            this.padTokenId = OptionalInt.of(settings.generationPadId());
        } else {
            this.padTokenId = OptionalInt.empty();
        }
        this.chatTemplate = settings.chatTemplate() == null ? null
                : JinjaTemplate.compile(settings.chatTemplate(), settings.chatTemplateOrigin());
        this.chatTemplateProblem = settings.chatTemplateProblem();
        // transformers renders with **special_tokens_map: only the special tokens that are set.
        Map<String, Object> globals = new HashMap<>(settings.specialTokens());
        if (!settings.additionalSpecialTokens().isEmpty()) {
            globals.put("additional_special_tokens", settings.additionalSpecialTokens());
        }
        this.templateGlobals = Collections.unmodifiableMap(globals);
    }

    private int resolve(TokenizerVocab vocab, TokenizerSettings settings, String token, String key) {
        OptionalInt id = vocab.id(token);
        if (id.isPresent()) {
            return id.getAsInt();
        }
        Integer declared = settings.addedTokens().get(token);
        if (declared != null) {
            return declared;
        }
        throw new TokenizerFormatException(directory.resolve("tokenizer_config.json") + ": " + key + " '" + token
                + "' is neither in tokenizer.json's vocabulary nor in added_tokens_decoder", null);
    }

    /** Id of {@code token} if it is a single token of the vocabulary (including added/special tokens). */
    public OptionalInt tokenId(String token) {
        int[] ids = encode(token);
        return ids.length == 1 ? OptionalInt.of(ids[0]) : OptionalInt.empty();
    }

    @Override
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new IllegalArgumentException("token id " + ids[i] + " at position " + i
                        + " is outside the vocabulary [0, " + vocabSize + ")");
            }
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, skipSpecialTokens);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public Set<Integer> eosTokenIds() {
        return eosTokenIds;
    }

    @Override
    public OptionalInt padTokenId() {
        return padTokenId;
    }

    @Override
    public boolean hasChatTemplate() {
        return chatTemplate != null;
    }

    @Override
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
        if (chatTemplate == null) {
            throw new IllegalStateException(chatTemplateProblem != null ? chatTemplateProblem
                    : "the tokenizer in " + directory + " has no chat template (no 'chat_template' in"
                    + " tokenizer_config.json and no chat_template.jinja); use a plain prompt template instead");
        }
        List<Map<String, Object>> list = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content());
            list.add(map);
        }
        Map<String, Object> variables = new HashMap<>(templateGlobals);
        variables.put("messages", list);
        variables.put("add_generation_prompt", addGenerationPrompt);
        variables.put("tools", null);
        variables.put("documents", null);
        return chatTemplate.render(variables);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "HfTokenizer[" + directory + ", vocab " + vocabSize + "]";
    }
}
