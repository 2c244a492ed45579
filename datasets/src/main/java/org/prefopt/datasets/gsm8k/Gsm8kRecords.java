package org.prefopt.datasets.gsm8k;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.io.BadRecordException;
import org.prefopt.datasets.io.Fields;
import org.prefopt.datasets.io.RecordParser;

/**
 * Parses the official GSM8K JSONL record ({@code question}, {@code answer}). The answer is a worked solution whose
 * last line is {@code #### N}.
 */
public final class Gsm8kRecords implements RecordParser {

    /** {@code <<48/2=24>>}: the calculator annotations of the original release. */
    private static final Pattern CALCULATOR = Pattern.compile("<<[^>]*>>");

    @Override
    public List<String> requiredFields() {
        return List.of("question", "answer");
    }

    @Override
    public Example parse(JsonNode record, String fileName, String origin, long line) throws BadRecordException {
        String question = Fields.nonBlank(record, "question").strip();
        String answer = Fields.nonBlank(record, "answer");
        Parsed p = parseSolution(answer);
        return new Example(fileName + ":" + line, question, p.gold(), p.solution(), p.steps(), null, origin,
                Map.of());
    }

    /** Gold answer, cleaned solution and number of reasoning steps of a GSM8K {@code answer} field. */
    public record Parsed(String gold, String solution, int steps) {
    }

    public static Parsed parseSolution(String answer) throws BadRecordException {
        String cleaned = CALCULATOR.matcher(answer).replaceAll("");
        String[] lines = cleaned.split("\n", -1);
        int marker = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().startsWith("####")) {
                marker = i;
            }
        }
        if (marker < 0) {
            throw new BadRecordException("field 'answer' has no '#### <number>' line");
        }
        String gold = lines[marker].strip().substring(4).strip().replace(",", "");
        if (gold.isEmpty()) {
            throw new BadRecordException("the '####' line of field 'answer' holds no answer");
        }
        int steps = 0;
        for (int i = 0; i < marker; i++) {
            if (!lines[i].isBlank()) {
                steps++;
            }
        }
        // A record that states only the answer still has one (implicit) step; 0 would mean "unknown".
        return new Parsed(gold, cleaned.strip(), Math.max(1, steps));
    }
}
