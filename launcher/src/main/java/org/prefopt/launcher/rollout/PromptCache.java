package org.prefopt.launcher.rollout;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.prefopt.api.data.Example;
import org.prefopt.api.data.PromptTemplate;
import org.prefopt.api.model.TextTokenizer;

/**
 * Renders and tokenizes prompts once per example. Keyed by id because ids are unique within a dataset; eval sets
 * get their own cache since ids of two datasets may collide.
 */
public final class PromptCache {

    private final PromptTemplate template;
    private final TextTokenizer tokenizer;
    private final Map<String, Rendered> cache = new ConcurrentHashMap<>();

    public PromptCache(PromptTemplate template, TextTokenizer tokenizer) {
        this.template = template;
        this.tokenizer = tokenizer;
    }

    public String text(Example example) {
        return get(example).text();
    }

    /** A copy of the tokens, so callers cannot corrupt the cache. */
    public int[] tokens(Example example) {
        return get(example).tokens().clone();
    }

    private Rendered get(Example example) {
        return cache.computeIfAbsent(example.id(), id -> {
            String text = template.render(example, tokenizer);
            return new Rendered(text, tokenizer.encode(text));
        });
    }

    private record Rendered(String text, int[] tokens) {
    }
}
