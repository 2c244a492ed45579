package org.prefopt.launcher.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a run file (HOCON, includes relative to the file allowed), applies {@code -o} overrides, and resolves
 * substitutions. Only the file and the overrides count: no system properties, no environment, no application.conf,
 * so a run is described completely by what the user wrote.
 */
public final class RunConfigLoader {

    private RunConfigLoader() {
    }

    public static Config load(Path file, List<String> overrides) {
        Problems problems = new Problems();
        if (!Files.isRegularFile(file)) {
            problems.add(file.toString(), "", Files.exists(file) ? "not a regular file" : "file not found");
            problems.throwIfAny();
        }
        Config parsed;
        try {
            // absolute, so that include "x.conf" resolves next to the including file, not on the class path
            parsed = ConfigFactory.parseFile(file.toAbsolutePath().toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false)
                            .setIncluder(new RequiredIncludes()));
        } catch (ConfigException e) {
            problems.add(e.origin(), "", stripOrigin(e));
            problems.throwIfAny();
            throw e;
        }
        return finish(parsed, overrides, problems);
    }

    /** Parses run-file text given in memory (tests, generated configs); {@code origin} names it in messages. */
    public static Config parse(String text, String origin, List<String> overrides) {
        Problems problems = new Problems();
        Config parsed;
        try {
            parsed = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(origin));
        } catch (ConfigException e) {
            problems.add(e.origin(), "", stripOrigin(e));
            problems.throwIfAny();
            throw e;
        }
        return finish(parsed, overrides, problems);
    }

    private static Config finish(Config parsed, List<String> overrides, Problems problems) {
        Config config = Overrides.apply(parsed, overrides, problems);
        problems.throwIfAny();
        try {
            return config.resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
        } catch (ConfigException e) {
            problems.add(e.origin(), "", stripOrigin(e));
            problems.throwIfAny();
            throw e;
        }
    }

    /** Typesafe prefixes messages with the origin; the problem list prints the origin itself. */
    static String stripOrigin(ConfigException e) {
        String m = e.getMessage();
        if (e.origin() != null) {
            String d = e.origin().description();
            if (m.startsWith(d + ": ")) {
                return m.substring(d.length() + 2);
            }
        }
        return m;
    }
}
