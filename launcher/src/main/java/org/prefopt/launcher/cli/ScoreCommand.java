package org.prefopt.launcher.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.prefopt.api.data.Example;
import org.prefopt.api.io.AtomicFiles;
import org.prefopt.api.plugin.Slot;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.api.reward.RewardResult;
import org.prefopt.launcher.assembly.Assembler;
import org.prefopt.launcher.assembly.Standalone;
import org.prefopt.launcher.rollout.RewardScorer;
import org.prefopt.launcher.rollout.ScoredCompletions;
import org.prefopt.launcher.rollout.WeightedReward;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code prefopt score}: grades completions made anywhere (another tool, or a run's saved evaluation generations)
 * with one reward, adding {@code reward} (number, or null when the reward does not apply), {@code extracted} and
 * {@code reward_note} to every line.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Grade completions in a JSONL file with a reward; writes the lines with reward, extracted"
                + " and reward_note added, and prints a summary.")
final class ScoreCommand implements Callable<Integer> {

    /** Lines scored together (in parallel), so memory stays bounded on large files. */
    private static final int CHUNK = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    PrefoptCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--reward", required = true, paramLabel = "<type>", description = "Reward component, e.g. math-answer.")
    String reward;

    @Option(names = "-O", paramLabel = "<key=value>", description = "An option of the reward (repeatable).")
    List<String> options = new ArrayList<>();

    @Option(names = "--input", required = true, paramLabel = "<in.jsonl>")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "<out.jsonl>")
    Path output;

    @Option(names = "--completion-field", defaultValue = "completion", paramLabel = "<F>",
            description = "Field holding the completion text (default: ${DEFAULT-VALUE}).")
    String completionField;

    @Option(names = "--answer-field", defaultValue = "answer", paramLabel = "<F>",
            description = "Field holding the gold answer (default: ${DEFAULT-VALUE}; a run's eval generations use 'gold').")
    String answerField;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "<N>",
            description = "Scoring threads; 0: one per core.")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (threads < 0) {
            throw new UsageException("--threads must be >= 0 (got " + threads + "; 0: one per core)");
        }
        int poolSize = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Summary summary = new Summary();
        Path tmp = Files.createTempFile(output.toAbsolutePath().getParent(), output.getFileName().toString(), ".tmp");
        try (Standalone<RewardFunction> standalone = Assembler.standalone(parent.registry(), Slot.REWARD, reward,
                ComponentOptions.parse(options, "-O"));
             RewardScorer scorer = new RewardScorer(List.of(new WeightedReward(standalone.component(), 1.0)), poolSize);
             BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8);
             BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            List<ObjectNode> chunk = new ArrayList<>(CHUNK);
            long lineNumber = 0;
            String line;
            while ((line = readLine(in, lineNumber + 1)) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                chunk.add(parse(line, lineNumber));
                if (chunk.size() == CHUNK) {
                    write(score(scorer, chunk, summary), out);
                    chunk.clear();
                }
            }
            write(score(scorer, chunk, summary), out);
            if (summary.lines == 0) {
                throw new UsageException("--input " + input + " holds no completions (every line is blank); nothing"
                        + " was written");
            }
        } catch (NoSuchFileException e) {
            Files.deleteIfExists(tmp);
            throw new UsageException("--input " + input + ": no such file");
        } catch (RuntimeException | IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        AtomicFiles.move(tmp, output);
        PrintWriter console = spec.commandLine().getOut();
        console.println(summary.render(reward, output));
        return ExitCodes.OK;
    }

    /** The next line, or a usage error naming the line when the input is not UTF-8. */
    private String readLine(BufferedReader in, long number) throws IOException {
        try {
            return in.readLine();
        } catch (CharacterCodingException e) {
            throw new UsageException("--input " + input + ":" + number + ": not valid UTF-8 (" + e + "); convert the"
                    + " file to UTF-8 first, e.g. iconv -f latin1 -t utf-8");
        }
    }

    private ObjectNode parse(String line, long number) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new UsageException(input + ":" + number + ": invalid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new UsageException(input + ":" + number + ": expected a JSON object per line");
        }
        if (!object.path(completionField).isTextual()) {
            throw new UsageException(input + ":" + number + ": no text field '" + completionField
                    + "' (choose the field with --completion-field)");
        }
        object.put("_line", number);
        return object;
    }

    private List<ObjectNode> score(RewardScorer scorer, List<ObjectNode> lines, Summary summary) {
        List<Example> examples = new ArrayList<>(lines.size());
        List<List<String>> completions = new ArrayList<>(lines.size());
        for (ObjectNode line : lines) {
            long number = line.remove("_line").asLong();
            JsonNode gold = line.get(answerField);
            examples.add(new Example(input.getFileName() + ":" + number, "",
                    gold == null || gold.isNull() ? null : gold.asText(), null, Example.UNKNOWN_DIFFICULTY, null,
                    input + ":" + number, null));
            completions.add(List.of(line.get(completionField).asText()));
        }
        List<ScoredCompletions> scored = scorer.score(examples, completions);
        for (int i = 0; i < lines.size(); i++) {
            ObjectNode line = lines.get(i);
            RewardResult r = scored.get(i).results().get(0)[0];
            summary.add(r);
            if (r.applicable()) {
                line.put("reward", r.value());
            } else {
                line.putNull("reward");
            }
            line.put("extracted", r.extracted());
            line.put("reward_note", r.note());
            // a check that ran out of time scored its value without a verdict (more likely on a loaded machine)
            line.put("reward_undecided", r.undecided());
        }
        return lines;
    }

    private static void write(List<ObjectNode> lines, BufferedWriter out) throws IOException {
        for (ObjectNode line : lines) {
            out.write(JSON.writeValueAsString(line));
            out.newLine();
        }
    }

    /** Counts for the closing summary. */
    private static final class Summary {
        long lines;
        long notApplicable;
        long undecided;
        double sum;

        void add(RewardResult r) {
            lines++;
            if (r.undecided()) {
                undecided++;
            }
            if (r.applicable()) {
                sum += r.value();
            } else {
                notApplicable++;
            }
        }

        String render(String reward, Path output) {
            long applicable = lines - notApplicable;
            return String.format(Locale.ROOT, "%s: %d lines scored, mean reward %.4f over %d applicable, %d not"
                    + " applicable%s; written to %s", reward, lines, applicable == 0 ? Double.NaN : sum / applicable,
                    applicable, notApplicable, undecided == 0 ? "" : ", " + undecided + " undecided (a check ran out"
                    + " of time; scored as its value, see reward_undecided)", output);
        }
    }
}
