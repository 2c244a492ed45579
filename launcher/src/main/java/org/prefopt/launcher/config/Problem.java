package org.prefopt.launcher.config;

/**
 * One thing wrong with a run configuration.
 *
 * @param location where: {@code file:line}, {@code command line -o key=value}, or a plugin jar
 * @param path     the config path concerned, e.g. {@code algorithm.group-size}; empty when not about one key
 * @param message  what is wrong and what to do
 */
public record Problem(String location, String path, String message) {

    @Override
    public String toString() {
        return location + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
