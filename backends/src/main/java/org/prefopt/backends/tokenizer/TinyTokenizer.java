package org.prefopt.backends.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.prefopt.api.io.AtomicFiles;

/**
 * The tokenizer of the {@code tiny} policy presets: character level over printable ASCII and newline,
 * with ChatML special tokens, written as real Hugging Face files so it loads through the same path as any
 * checkpoint ({@link HfTokenizers#load}).
 *
 * <p>Ids: {@code '\n'} is 0, printable ASCII {@code ' '..'~'} are 1..95, then {@code <|endoftext|>} (eos
 * and pad), {@code <|im_start|>}, {@code <|im_end|>}. Characters outside that set encode to nothing (the
 * BPE model has no unknown token), so only ASCII text round-trips; the synthetic tasks it serves are ASCII.
 */
public final class TinyTokenizer {

    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";
    public static final int CHARACTER_COUNT = 96;
    public static final int END_OF_TEXT_ID = CHARACTER_COUNT;
    public static final int IM_START_ID = CHARACTER_COUNT + 1;
    public static final int IM_END_ID = CHARACTER_COUNT + 2;
    public static final int VOCAB_SIZE = CHARACTER_COUNT + 3;

    /** ChatML, as Qwen2-style chat models format turns. */
    public static final String CHAT_TEMPLATE =
            "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content']"
            + " + '<|im_end|>' + '\\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TinyTokenizer() {
    }

    /** The character of id {@code id} in {@code [0, CHARACTER_COUNT)}. */
    public static char character(int id) {
        return id == 0 ? '\n' : (char) (' ' + id - 1);
    }

    /**
     * Writes {@code tokenizer.json}, {@code tokenizer_config.json} and {@code generation_config.json} into
     * {@code dir} (created if needed), each atomically.
     */
    public static void write(Path dir) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode tokenizer = f.objectNode();
        tokenizer.put("version", "1.0");
        tokenizer.putNull("truncation");
        tokenizer.putNull("padding");
        ArrayNode added = tokenizer.putArray("added_tokens");
        List<String> specials = List.of(END_OF_TEXT, IM_START, IM_END);
        for (int i = 0; i < specials.size(); i++) {
            ObjectNode t = added.addObject();
            t.put("id", CHARACTER_COUNT + i);
            t.put("content", specials.get(i));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        tokenizer.putNull("normalizer");
        tokenizer.putNull("pre_tokenizer");
        tokenizer.putNull("post_processor");
        // Fuse joins decoded tokens without separators (the default would put spaces between them).
        tokenizer.putObject("decoder").put("type", "Fuse");
        ObjectNode model = tokenizer.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < CHARACTER_COUNT; id++) {
            vocab.put(String.valueOf(character(id)), id);
        }
        model.putArray("merges");

        ObjectNode config = f.objectNode();
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        config.putNull("bos_token");
        config.put("eos_token", END_OF_TEXT);
        config.put("pad_token", END_OF_TEXT);
        config.putNull("unk_token");
        ArrayNode extra = config.putArray("additional_special_tokens");
        extra.add(IM_START);
        extra.add(IM_END);
        ObjectNode decoder = config.putObject("added_tokens_decoder");
        for (int i = 0; i < specials.size(); i++) {
            ObjectNode t = decoder.putObject(String.valueOf(CHARACTER_COUNT + i));
            t.put("content", specials.get(i));
            t.put("lstrip", false);
            t.put("normalized", false);
            t.put("rstrip", false);
            t.put("single_word", false);
            t.put("special", true);
        }
        config.put("clean_up_tokenization_spaces", false);
        config.put("model_max_length", 4096);
        config.put("chat_template", CHAT_TEMPLATE);

        ObjectNode generation = f.objectNode();
        ArrayNode eos = generation.putArray("eos_token_id");
        eos.add(IM_END_ID);
        eos.add(END_OF_TEXT_ID);
        generation.put("pad_token_id", END_OF_TEXT_ID);

        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve("tokenizer.json"), tokenizer);
            writeAtomically(dir.resolve("tokenizer_config.json"), config);
            writeAtomically(dir.resolve("generation_config.json"), generation);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tiny tokenizer to " + dir, e);
        }
    }

    private static void writeAtomically(Path target, ObjectNode json) throws IOException {
        byte[] bytes = (MAPPER.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFiles.write(target, bytes);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
