package org.prefopt.api.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.prefopt.api.model.ChatMessage;
import org.prefopt.api.model.TextTokenizer;

/**
 * How an example becomes the text the policy sees.
 *
 * @param template        plain text with a {@code {question}} placeholder
 * @param useChatTemplate whether to render through the tokenizer's chat template (as the user message)
 * @param systemPrompt    system message for the chat template; null or empty for none
 */
public record PromptTemplate(String template, boolean useChatTemplate, String systemPrompt) {

    public static final String PLACEHOLDER = "{question}";

    public PromptTemplate {
        Objects.requireNonNull(template, "template");
        if (!template.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("prompt template must contain " + PLACEHOLDER + ": '" + template + "'");
        }
    }

    public String render(Example example, TextTokenizer tokenizer) {
        String user = template.replace(PLACEHOLDER, example.prompt());
        if (!useChatTemplate) {
            return user;
        }
        List<ChatMessage> messages = new ArrayList<>(2);
        if (systemPrompt != null && !systemPrompt.isEmpty()) {
            messages.add(new ChatMessage("system", systemPrompt));
        }
        messages.add(new ChatMessage("user", user));
        return tokenizer.applyChatTemplate(messages, true);
    }
}
