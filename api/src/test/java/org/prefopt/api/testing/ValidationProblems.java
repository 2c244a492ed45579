package org.prefopt.api.testing;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.plugin.ComponentFactory;

/** What a factory's {@code validate} reports for some options, as {@code "key: message"} lines, for tests to pin. */
public final class ValidationProblems {

    private ValidationProblems() {
    }

    public static List<String> of(ComponentFactory<?> factory, Config options) {
        List<String> out = new ArrayList<>();
        OptionProblems problems = (config, key, message) -> out.add(key + ": " + message);
        factory.validate(options, problems);
        return out;
    }
}
