package org.prefopt.backends.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.model.ChatMessage;
import org.prefopt.backends.tokenizer.jinja.JinjaTemplate;

/** Config variants and error reporting, on top of the tiny tokenizer's files. */
class HfTokenizersTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<ChatMessage> HI = List.of(new ChatMessage("user", "hi"));

    @TempDir
    Path dir;

    @BeforeEach
    void write() {
        TinyTokenizer.write(dir);
    }

    private ObjectNode config() throws IOException {
        return (ObjectNode) MAPPER.readTree(dir.resolve("tokenizer_config.json").toFile());
    }

    private void save(String file, Object json) throws IOException {
        MAPPER.writeValue(dir.resolve(file).toFile(), json);
    }

    @Test
    void missingTokenizerJson() throws IOException {
        Files.delete(dir.resolve("tokenizer.json"));
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> HfTokenizers.load(dir));
        assertTrue(e.getMessage().contains("no tokenizer.json in " + dir), e.getMessage());
    }

    @Test
    void malformedJsonNamesFileAndPosition() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\n  \"eos_token\": \"x\",\n  oops\n}");
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> HfTokenizers.load(dir));
        assertTrue(e.getMessage().contains("tokenizer_config.json is not valid JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());

        Files.writeString(dir.resolve("tokenizer_config.json"), "[1, 2]");
        e = assertThrows(TokenizerFormatException.class, () -> HfTokenizers.load(dir));
        assertTrue(e.getMessage().contains("must contain a JSON object"), e.getMessage());
    }

    @Test
    void tokenizerJsonRejectedByTheLibraryIsReported() throws IOException {
        ObjectNode t = (ObjectNode) MAPPER.readTree(dir.resolve("tokenizer.json").toFile());
        ((ObjectNode) t.get("model")).put("type", "NoSuchModel");
        save("tokenizer.json", t);
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> HfTokenizers.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void addedTokenObjectsAndGenerationEosAsInt() throws IOException {
        ObjectNode c = config();
        c.putObject("eos_token").put("content", "<|im_end|>").put("special", true);
        c.putObject("pad_token").put("content", "<|im_start|>");
        save("tokenizer_config.json", c);
        save("generation_config.json", MAPPER.createObjectNode().put("eos_token_id", 96));
        try (HfTokenizer t = HfTokenizers.load(dir)) {
            assertEquals(Set.of(96, 98), t.eosTokenIds());
            assertEquals(OptionalInt.of(97), t.padTokenId());
        }
    }

    @Test
    void withoutOptionalFiles() throws IOException {
        Files.delete(dir.resolve("tokenizer_config.json"));
        Files.delete(dir.resolve("generation_config.json"));
        try (HfTokenizer t = HfTokenizers.load(dir)) {
            assertEquals(Set.of(), t.eosTokenIds());
            assertEquals(OptionalInt.empty(), t.padTokenId());
            assertFalse(t.hasChatTemplate());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.applyChatTemplate(HI, true));
            assertTrue(e.getMessage().contains("no chat template"), e.getMessage());
            assertEquals("1+1", t.decode(t.encode("1+1"), true));
        }
    }

    @Test
    void badEosTypeAndUnknownEosToken() throws IOException {
        save("generation_config.json", MAPPER.createObjectNode().put("eos_token_id", "two"));
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> HfTokenizers.load(dir));
        assertTrue(e.getMessage().contains("generation_config.json") && e.getMessage().contains("eos_token_id"),
                e.getMessage());
        Files.delete(dir.resolve("generation_config.json"));
        save("tokenizer_config.json", config().put("eos_token", "</s>"));
        e = assertThrows(TokenizerFormatException.class, () -> HfTokenizers.load(dir));
        assertTrue(e.getMessage().contains("eos_token '</s>'"), e.getMessage());
    }

    @Test
    void namedTemplateListUsesDefault() throws IOException {
        ObjectNode c = config();
        var list = c.putArray("chat_template");
        list.addObject().put("name", "tool_use").put("template", "TOOLS");
        list.addObject().put("name", "default").put("template", "{{ messages[0].content }}!{{ eos_token }}");
        save("tokenizer_config.json", c);
        try (HfTokenizer t = HfTokenizers.load(dir)) {
            assertEquals("hi!<|endoftext|>", t.applyChatTemplate(HI, false));
        }
        list.remove(1);
        save("tokenizer_config.json", c);
        try (HfTokenizer t = HfTokenizers.load(dir)) {
            assertFalse(t.hasChatTemplate());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.applyChatTemplate(HI, false));
            assertTrue(e.getMessage().contains("[tool_use]") && e.getMessage().contains("'default'"), e.getMessage());
        }
    }

    @Test
    void chatTemplateJinjaFileTakesPrecedence() throws IOException {
        Files.writeString(dir.resolve("chat_template.jinja"),
                "{%- for m in messages %}\n  [{{ m.role }}] {{ m.content }}\n{% endfor %}\n");
        try (HfTokenizer t = HfTokenizers.load(dir)) {
            // Jinja2 (trim_blocks, lstrip_blocks) renders this as "  [user] hi\n": lstrip only touches tag lines.
            assertEquals("  [user] hi\n", t.applyChatTemplate(HI, true));
        }
    }

    @Test
    void renderFailureNamesTheFileAndTheError() throws IOException {
        save("tokenizer_config.json", config().put("chat_template",
                "{% if messages[0].role != 'system' %}{{ raise_exception('System message required') }}{% endif %}"));
        try (HfTokenizer t = HfTokenizers.load(dir)) {
            JinjaTemplate.TemplateException e =
                    assertThrows(JinjaTemplate.TemplateException.class, () -> t.applyChatTemplate(HI, true));
            assertTrue(e.getMessage().contains("tokenizer_config.json (chat_template)"), e.getMessage());
            assertTrue(e.getMessage().contains("System message required"), e.getMessage());
        }
        save("tokenizer_config.json", config().put("chat_template", "{% for m in messages %}{{ m.role "));
        JinjaTemplate.TemplateException e =
                assertThrows(JinjaTemplate.TemplateException.class, () -> HfTokenizers.load(dir));
        assertTrue(e.getMessage().contains("tokenizer_config.json") && e.getMessage().contains("unterminated"),
                e.getMessage());
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() {
        try (HfTokenizer t = HfTokenizers.load(dir)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {1, 99}, false));
            assertTrue(e.getMessage().contains("99"), e.getMessage());
        }
    }
}
