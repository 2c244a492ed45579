package org.prefopt.api.data;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The form in which two prompts count as the same problem for splits and duplicate reports: Unicode NFKC, lower
 * case, whitespace runs collapsed to one space, trimmed. Digits and punctuation are kept ("3 apples" is not
 * "4 apples"). One rule, shared by the datasets plugin and the launcher.
 */
public final class PromptKey {

    private PromptKey() {
    }

    public static String of(String prompt) {
        return Normalizer.normalize(prompt, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .replaceAll("\\s+", " ").strip();
    }
}
