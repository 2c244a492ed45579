package com.example.textstats;

/**
 * Stands for any third-party library a plugin depends on. It ships as its own jar next to the plugin jar in
 * {@code plugins/constant-reward/}; the host (the launcher) never sees it.
 */
public final class WordCounter {

    private WordCounter() {
    }

    public static int words(String text) {
        String t = text.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }
}
