package org.prefopt.datasets.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.typesafe.config.Config;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.data.DatasetFilter;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.datasets.filter.LengthFilter;

/**
 * The {@code length} filter's options: bounds in characters, or in tokens of the run's policy (then the filter
 * injects the policy for its tokenizer, so it needs a run with a {@code policy} section).
 */
final class LengthFilterOptions {

    static final String DESCRIPTION =
            "keep prompts within a length range, in characters or in tokens of the run's policy tokenizer";

    private LengthFilterOptions() {
    }

    static boolean inTokens(Config o) {
        return o.getInt("min-tokens") > 0 || o.getInt("max-tokens") > 0;
    }

    static Module module(Config o) {
        if (!inTokens(o)) {
            LengthFilter filter = LengthFilter.chars(o.getInt("min-chars"), o.getInt("max-chars"));
            return binder -> binder.bind(DatasetFilter.class).toInstance(filter);
        }
        int min = o.getInt("min-tokens");
        int max = o.getInt("max-tokens");
        return new AbstractModule() {
            @Provides
            DatasetFilter filter(PolicyModel policy) {
                return LengthFilter.tokens(min, max, policy.tokenizer());
            }
        };
    }

    static void validate(Config o, OptionProblems p) {
        for (String key : new String[] {"min-chars", "max-chars", "min-tokens", "max-tokens"}) {
            p.requireRange(o, key, 0L, Integer.MAX_VALUE);
        }
        if (o.getInt("max-chars") > 0 && o.getInt("min-chars") > o.getInt("max-chars")) {
            p.add(o, "min-chars", "must not exceed max-chars");
        }
        if (o.getInt("max-tokens") > 0 && o.getInt("min-tokens") > o.getInt("max-tokens")) {
            p.add(o, "min-tokens", "must not exceed max-tokens");
        }
        if (inTokens(o) && (o.getInt("min-chars") > 0 || o.getInt("max-chars") > 0)) {
            p.add(o, "max-tokens", "bound the length in characters or in tokens, not both (use two length filters"
                    + " for both)");
        }
    }
}
