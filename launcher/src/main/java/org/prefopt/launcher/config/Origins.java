package org.prefopt.launcher.config;

import com.typesafe.config.ConfigOrigin;
import java.net.URL;

/** Renders a {@link ConfigOrigin} as {@code file:line}, the form editors and terminals link to. */
public final class Origins {

    private Origins() {
    }

    public static String describe(ConfigOrigin origin) {
        if (origin == null) {
            return "unknown location";
        }
        int line = origin.lineNumber();
        String where;
        if (origin.filename() != null) {
            where = origin.filename();
        } else if (origin.url() != null) {
            where = shortUrl(origin.url());
        } else {
            // parsed strings: "run.conf: 3" -> "run.conf:3"; a one-line -o value has no useful line
            String d = origin.description();
            int colon = d.lastIndexOf(": ");
            if (colon > 0 && d.substring(colon + 2).chars().allMatch(Character::isDigit)) {
                String base = d.substring(0, colon);
                return base.startsWith("command line") ? base : base + ":" + d.substring(colon + 2);
            }
            return d;
        }
        return line > 0 ? where + ":" + line : where;
    }

    private static String shortUrl(URL url) {
        String s = url.toExternalForm();
        int bang = s.lastIndexOf("!/");
        if (bang > 0) {
            String jar = s.substring(0, bang);
            return jar.substring(jar.lastIndexOf('/') + 1) + "!/" + s.substring(bang + 2);
        }
        return s;
    }
}
