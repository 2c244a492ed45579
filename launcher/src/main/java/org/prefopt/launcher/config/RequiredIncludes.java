package org.prefopt.launcher.config;

import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import java.io.File;
import java.net.URL;

/**
 * Makes every {@code include} of a run file required, as {@code include required(...)} is in HOCON: a run that
 * silently lost the settings of a misspelled or moved include would train something else than its file says.
 * Delegates the lookup itself to Typesafe Config's own includer (relative to the including file).
 */
final class RequiredIncludes implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL,
        ConfigIncluderClasspath {

    private final ConfigIncluder fallback;

    RequiredIncludes() {
        this(null);
    }

    private RequiredIncludes(ConfigIncluder fallback) {
        this.fallback = fallback;
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder includer) {
        return fallback == includer ? this : new RequiredIncludes(includer);
    }

    private static ConfigIncludeContext required(ConfigIncludeContext context) {
        return context.setParseOptions(context.parseOptions().setAllowMissing(false));
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
        return fallback.include(required(context), what);
    }

    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, File what) {
        return ((ConfigIncluderFile) fallback).includeFile(required(context), what);
    }

    @Override
    public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
        return ((ConfigIncluderURL) fallback).includeURL(required(context), what);
    }

    @Override
    public ConfigObject includeResources(ConfigIncludeContext context, String what) {
        return ((ConfigIncluderClasspath) fallback).includeResources(required(context), what);
    }
}
