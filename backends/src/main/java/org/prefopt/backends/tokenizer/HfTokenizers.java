package org.prefopt.backends.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Loads Hugging Face tokenizer directories. */
public final class HfTokenizers {

    /*
     * Encode exactly the text: no BOS/EOS added (chat templates and callers add their own), no
     * truncation at model_max_length, no padding. Loaded from a stream so DJL does not read
     * tokenizer_config.json on its own.
     */
    private static final Map<String, String> OPTIONS =
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

    private HfTokenizers() {
    }

    /**
     * Loads {@code modelDir/tokenizer.json} plus, when present, {@code tokenizer_config.json},
     * {@code chat_template.jinja} and {@code generation_config.json}. Works offline.
     *
     * @throws TokenizerFormatException naming the file, for a missing tokenizer.json or malformed JSON
     */
    public static HfTokenizer load(Path modelDir) {
        Path file = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new TokenizerFormatException("no tokenizer.json in " + modelDir + (Files.isDirectory(modelDir) ? ""
                    : " (the directory does not exist)") + "; only the fast-tokenizer format (tokenizer.json) is"
                    + " supported", null);
        }
        TokenizerVocab vocab = TokenizerVocab.read(file);
        TokenizerSettings settings = TokenizerSettings.read(modelDir);
        HuggingFaceTokenizer tokenizer;
        try (InputStream in = Files.newInputStream(file)) {
            tokenizer = HuggingFaceTokenizer.newInstance(in, OPTIONS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new TokenizerFormatException(file + " was rejected by the tokenizers library: " + e.getMessage(), e);
        }
        try {
            return new HfTokenizer(modelDir, tokenizer, vocab, settings);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }
}
