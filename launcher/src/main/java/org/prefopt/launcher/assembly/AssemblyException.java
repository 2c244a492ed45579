package org.prefopt.launcher.assembly;

import java.util.List;

/**
 * The validated components could not be wired or created (a missing binding, a constructor that threw).
 *
 * @see #configurationError() whether the cause lies in the configuration (exit 2) rather than the run (exit 1)
 */
public final class AssemblyException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final boolean configurationError;

    public AssemblyException(String what, List<String> messages, boolean configurationError, Throwable cause) {
        super("Cannot assemble " + what + " (" + messages.size() + (messages.size() == 1 ? " problem" : " problems") + "):\n  "
                + String.join("\n  ", messages.stream().map(m -> m.replace("\n", "\n    ")).toList()), cause);
        this.configurationError = configurationError;
    }

    public boolean configurationError() {
        return configurationError;
    }
}
