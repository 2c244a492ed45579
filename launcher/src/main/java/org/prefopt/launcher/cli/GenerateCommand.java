package org.prefopt.launcher.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.prefopt.api.model.ChatMessage;
import org.prefopt.api.model.Completion;
import org.prefopt.api.model.CompletionGroup;
import org.prefopt.api.model.GenerationRequest;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.model.SamplingParams;
import org.prefopt.api.model.TextTokenizer;
import org.prefopt.launcher.assembly.RoutedPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code prefopt generate}: complete one prompt with a model (a run's checkpoint, a PEFT adapter on its base, a
 * Hugging Face checkpoint or a preset), as a quick check of a model and its template.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate completions of one prompt. With --json: prompt_tokens, tokens, text, logprobs"
                + " (log-softmax at temperature 1 of each chosen token) and stop_reason.")
final class GenerateCommand implements Callable<Integer> {

    @ParentCommand
    PrefoptCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    PolicyArgs policyArgs;

    @Mixin
    PolicyArgs.Source source = new PolicyArgs.Source();

    @Option(names = "--prompt", required = true, paramLabel = "<text>")
    String prompt;

    @Option(names = "--chat", description = "Render the prompt as a user message with the tokenizer's chat template.")
    boolean chat;

    @Option(names = "--system", paramLabel = "<text>", description = "System message (with --chat).")
    String system;

    @Option(names = "--max-new-tokens", defaultValue = "128", paramLabel = "<N>")
    int maxNewTokens;

    @Option(names = "--greedy", description = "Argmax decoding (ignores temperature, top-p, top-k).")
    boolean greedy;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "<T>")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", paramLabel = "<P>")
    double topP;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "<K>", description = "0 disables top-k.")
    int topK;

    @Option(names = "--stop", paramLabel = "<text>", description = "A stop string (repeatable).")
    List<String> stop = new ArrayList<>();

    @Option(names = "-n", defaultValue = "1", paramLabel = "<N>", description = "Completions (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "<S>")
    long seed;

    @Option(names = "--json", description = "One JSON object per completion.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SamplingParams params;
        try {
            params = new SamplingParams(maxNewTokens, temperature, topP, topK, greedy, stop, seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (count < 1) {
            throw new UsageException("-n must be at least 1 (got " + count + ")");
        }
        try (PolicyArgs.Opened opened = policyArgs.openAny(parent, "generate", source)) {
            // the loaded policy (its run checkpoint or adapter in place), generating through --engine if given
            PolicyModel policy = RoutedPolicy.of(opened.assembly());
            TextTokenizer tokenizer = policy.tokenizer();
            String text = prompt;
            if (chat) {
                if (!tokenizer.hasChatTemplate()) {
                    throw new UsageException("--chat: the model's tokenizer_config.json has no chat_template");
                }
                List<ChatMessage> messages = new ArrayList<>();
                if (system != null && !system.isEmpty()) {
                    messages.add(new ChatMessage("system", system));
                }
                messages.add(new ChatMessage("user", prompt));
                text = tokenizer.applyChatTemplate(messages, true);
            }
            int[] promptTokens = tokenizer.encode(text);
            CompletionGroup group = policy.generate(List.of(new GenerationRequest("prompt", promptTokens, count)),
                    params).get(0);
            PrintWriter out = spec.commandLine().getOut();
            ObjectMapper mapper = new ObjectMapper();
            for (Completion c : group.completions()) {
                if (json) {
                    ObjectNode o = mapper.createObjectNode();
                    ArrayNode pt = o.putArray("prompt_tokens");
                    for (int t : promptTokens) {
                        pt.add(t);
                    }
                    ArrayNode tokens = o.putArray("tokens");
                    for (int t : c.tokens()) {
                        tokens.add(t);
                    }
                    o.put("text", c.text());
                    ArrayNode logprobs = o.putArray("logprobs");
                    for (float lp : c.logprobs()) {
                        logprobs.add(lp);
                    }
                    o.put("stop_reason", c.stopReason().name().toLowerCase(java.util.Locale.ROOT));
                    out.println(mapper.writeValueAsString(o));
                } else {
                    out.println(c.text());
                    out.println("[" + c.length() + " tokens, stopped: "
                            + c.stopReason().name().toLowerCase(java.util.Locale.ROOT) + "]");
                }
            }
        }
        return ExitCodes.OK;
    }
}
