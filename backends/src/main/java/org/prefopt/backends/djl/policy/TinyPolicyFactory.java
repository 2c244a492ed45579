package org.prefopt.backends.djl.policy;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.model.Backend;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.TextTokenizer;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Slot;
import org.prefopt.backends.tokenizer.HfTokenizers;
import org.prefopt.backends.tokenizer.TinyTokenizer;

/** {@code policy { type = tiny, preset = tiny|bench-small, seed = 0, ... }}: a randomly initialised model. */
public final class TinyPolicyFactory implements ComponentFactory<PolicyModel> {

    @Override
    public Slot<PolicyModel> slot() {
        return Slot.POLICY;
    }

    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public String description() {
        return "a small randomly initialised Llama-style model with a character-level tokenizer (presets "
                + Presets.NAMES + ")";
    }

    @Override
    public Module module(Config options) {
        return new AbstractModule() {
            @Provides
            @Singleton
            PolicyModel policy(Backend backend) {
                return create(Policies.requireDjl(backend, "tiny"), options.getString("preset"),
                        PolicySettings.from(options));
            }
        };
    }

    /** Writes the character-level tokenizer files to a fresh directory and builds the preset on them. */
    public static DjlPolicyModel create(org.prefopt.backends.djl.DjlBackend backend, String preset,
                                        PolicySettings settings) {
        Path dir;
        try {
            dir = Files.createTempDirectory("prefopt-tiny-tokenizer");
            dir.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the tiny tokenizer", e);
        }
        TinyTokenizer.write(dir);
        try (var files = Files.list(dir)) {
            files.forEach(f -> f.toFile().deleteOnExit()); // registered after the directory: deleted before it
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        TextTokenizer tokenizer = HfTokenizers.load(dir);
        var cfg = Presets.get(preset, TinyTokenizer.VOCAB_SIZE, tokenizer.eosTokenIds());
        if (cfg.vocabSize() > tokenizer.vocabSize()) {
            tokenizer = new VocabBoundTokenizer(tokenizer);
        }
        return Policies.random(backend, preset, cfg, tokenizer, dir, settings);
    }

    @Override
    public void validate(Config options, OptionProblems problems) {
        problems.requireOneOf(options, "preset", Presets.NAMES);
        PolicyOptions.validate(options, problems);
    }
}
