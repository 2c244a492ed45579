package org.prefopt.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prefopt.api.data.DatasetFilter;
import org.prefopt.api.data.Example;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.TextTokenizer;
import org.prefopt.api.testing.algorithm.BigramPolicy;
import org.prefopt.datasets.filter.DifficultyFilter;
import org.prefopt.datasets.filter.IdsFilter;
import org.prefopt.datasets.filter.LengthFilter;
import org.prefopt.datasets.filter.NumericAnswerFilter;
import org.prefopt.datasets.filter.SubjectFilter;
import org.prefopt.datasets.numeric.NumericAnswer.Kind;
import org.prefopt.datasets.plugin.DatasetsPlugin;

class FiltersTest {

    @TempDir
    Path dir;

    /** Difficulties 1,1,1,1,2,2,3,4,5,5 and one unknown. */
    private final List<Example> pool = List.of(
            Fixtures.example("a", "p a", "1", 1, "Algebra"),
            Fixtures.example("b", "p bb", "x+1", 1, "algebra"),
            Fixtures.example("c", "p ccc", "3/4", 1, "Geometry"),
            Fixtures.example("d", "p dddd", "0.5", 1, null),
            Fixtures.example("e", "p e", "\\sqrt{2}", 2, "Geometry"),
            Fixtures.example("f", "p f", "1,000", 2, "Number Theory"),
            Fixtures.example("g", "p g", null, 3, "Algebra"),
            Fixtures.example("h", "p h", "\\frac{1}{2}", 4, "Algebra"),
            Fixtures.example("i", "p i", "7", 5, "Algebra"),
            Fixtures.example("j", "p j", "8", 5, "Algebra"),
            Fixtures.example("u", "p u", "9", 0, "Algebra"));

    private static List<String> ids(List<Example> ex) {
        return ex.stream().map(Example::id).toList();
    }

    @Test
    void difficultyRange() {
        assertEquals(List.of("e", "f", "g"), ids(new DifficultyFilter(2, 3, 0, 1, false).apply(pool)));
        assertEquals(List.of("h", "i", "j"), ids(new DifficultyFilter(4, 0, 0, 1, false).apply(pool)));
        assertEquals(List.of("h", "i", "j", "u"), ids(new DifficultyFilter(4, 0, 0, 1, true).apply(pool)));
        assertEquals(ids(pool), ids(new DifficultyFilter(0, 0, 0, 1, false).apply(pool)), "no bound keeps all");
    }

    @Test
    void difficultyQuantilesAreNearestRankValues() {
        // Known difficulties sorted: 1 1 1 1 2 2 3 4 5 5 (n = 10). q0.45 -> rank 5 -> 2; q0.4 -> rank 4 -> 1.
        DifficultyFilter easy = new DifficultyFilter(0, 0, 0, 0.45, false);
        assertEquals(List.of("a", "b", "c", "d", "e", "f"), ids(easy.apply(pool)));
        assertTrue(easy.describe().contains("= 1..2"), easy.describe());
        assertEquals(List.of("a", "b", "c", "d"), ids(new DifficultyFilter(0, 0, 0, 0.4, false).apply(pool)));
        assertEquals(List.of("h", "i", "j"), ids(new DifficultyFilter(0, 0, 0.8, 1.0, false).apply(pool)));
        assertEquals(List.of("e", "f", "g"), ids(new DifficultyFilter(0, 3, 0.5, 1.0, false).apply(pool)));
        assertThrows(IllegalArgumentException.class, () -> new DifficultyFilter(3, 2, 0, 1, false));
        assertThrows(IllegalArgumentException.class, () -> new DifficultyFilter(0, 0, 0.6, 0.5, false));
    }

    @Test
    void numericAnswer() {
        NumericAnswerFilter all = new NumericAnswerFilter(EnumSet.allOf(Kind.class), false);
        assertEquals(List.of("a", "c", "d", "f", "h", "i", "j", "u"), ids(all.apply(pool)));
        assertEquals(List.of("b", "e", "g"), ids(new NumericAnswerFilter(EnumSet.allOf(Kind.class), true).apply(pool)));
        assertEquals(List.of("a", "f", "i", "j", "u"),
                ids(new NumericAnswerFilter(EnumSet.of(Kind.INTEGER), false).apply(pool)));
    }

    @Test
    void subject() {
        assertEquals(List.of("a", "b", "g", "h", "i", "j", "u"),
                ids(new SubjectFilter(List.of(" ALGEBRA "), List.of()).apply(pool)));
        assertEquals(List.of("a", "b", "d", "g", "h", "i", "j", "u"),
                ids(new SubjectFilter(List.of(), List.of("geometry", "number theory")).apply(pool)));
    }

    @Test
    void ids() {
        Path inc = Fixtures.write(dir, "keep.txt", "# training ids", "a", "", "  c  ", "zzz");
        Path exc = Fixtures.write(dir, "drop.txt", "c");
        assertEquals(List.of("a", "c"), ids(new IdsFilter(inc, null).apply(pool)));
        assertEquals(List.of("a"), ids(new IdsFilter(inc, exc).apply(pool)));
        assertEquals(10, new IdsFilter(null, exc).apply(pool).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IdsFilter(dir.resolve("missing.txt"), null));
        assertTrue(e.getMessage().contains("missing.txt"));
    }

    @Test
    void length() {
        assertEquals(List.of("a", "b", "e", "f", "g", "h", "i", "j", "u"), ids(LengthFilter.chars(0, 4).apply(pool)));
        assertEquals(List.of("c", "d"), ids(LengthFilter.chars(5, 0).apply(pool)));
        // Code points, not UTF-16 units: one emoji is one character.
        Example emoji = Fixtures.example("x", "\uD83D\uDE00\uD83D\uDE00", "1", 1, null);
        assertEquals(1, LengthFilter.chars(0, 2).apply(List.of(emoji)).size());
    }

    /** In tokens: a whitespace tokenizer here; through the plugin, the run's policy tokenizer (injected). */
    @Test
    void lengthInTokens() {
        TextTokenizer words = new TextTokenizer() {
            @Override
            public int[] encode(String text) {
                return new int[text.isBlank() ? 0 : text.strip().split("\\s+").length];
            }

            @Override
            public String decode(int[] ids, boolean skipSpecialTokens) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.util.Set<Integer> eosTokenIds() {
                return java.util.Set.of();
            }

            @Override
            public int vocabSize() {
                return 0;
            }

            @Override
            public java.util.OptionalInt padTokenId() {
                return java.util.OptionalInt.empty();
            }

            @Override
            public boolean hasChatTemplate() {
                return false;
            }

            @Override
            public String applyChatTemplate(List<org.prefopt.api.model.ChatMessage> messages,
                                            boolean addGenerationPrompt) {
                throw new UnsupportedOperationException();
            }
        };
        List<Example> prompts = List.of(Fixtures.example("one", "seven", "1", 1, null),
                Fixtures.example("three", "what is  two?", "1", 1, null),
                Fixtures.example("five", "a b c d e", "1", 1, null));
        LengthFilter f = LengthFilter.tokens(2, 4, words);
        assertEquals(List.of("three"), ids(f.apply(prompts)));
        assertEquals("length[2..4 tokens]", f.describe());
    }

    @Test
    void lengthInTokensUsesThePolicyTokenizerThroughInjection() {
        var factory = new DatasetsPlugin().factories().stream().filter(c -> c.name().equals("length")).findFirst()
                .orElseThrow();
        com.typesafe.config.Config options = com.typesafe.config.ConfigFactory.parseString(
                "min-chars = 0, max-chars = 0, min-tokens = 0, max-tokens = 3");
        DatasetFilter filter = com.google.inject.Guice.createInjector(factory.module(options),
                binder -> binder.bind(PolicyModel.class).toInstance(new BigramPolicy(0.1, null)))
                .getInstance(DatasetFilter.class);
        // the digit tokenizer: one token per digit
        assertEquals(List.of("short"), ids(filter.apply(List.of(Fixtures.example("short", "123", "1", 1, null),
                Fixtures.example("long", "1234", "1", 1, null)))));
    }
}
