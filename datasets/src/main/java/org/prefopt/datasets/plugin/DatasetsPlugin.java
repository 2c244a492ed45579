package org.prefopt.datasets.plugin;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.prefopt.api.config.OptionProblems;
import org.prefopt.api.data.Dataset;
import org.prefopt.api.plugin.ComponentFactory;
import org.prefopt.api.plugin.Plugin;
import org.prefopt.api.plugin.Slot;
import org.prefopt.datasets.files.RecordFileDataset;
import org.prefopt.datasets.files.RecordFiles;
import org.prefopt.datasets.files.ShardSet;
import org.prefopt.datasets.filter.DifficultyFilter;
import org.prefopt.datasets.filter.HeldOutFilter;
import org.prefopt.datasets.filter.IdsFilter;
import org.prefopt.datasets.filter.NumericAnswerFilter;
import org.prefopt.datasets.filter.SubjectFilter;
import org.prefopt.datasets.gsm8k.Gsm8kRecords;
import org.prefopt.datasets.io.BadRecordPolicy;
import org.prefopt.datasets.io.DataFiles;
import org.prefopt.datasets.io.RecordFormat;
import org.prefopt.datasets.jsonl.FieldMapping;
import org.prefopt.datasets.math.MathDataset;
import org.prefopt.datasets.numeric.NumericAnswer;
import org.prefopt.datasets.preference.PreferenceRecords;
import org.prefopt.datasets.sampler.CurriculumSampler;
import org.prefopt.datasets.sampler.PassRateSampler;
import org.prefopt.datasets.sampler.UniformSampler;
import org.prefopt.datasets.split.ProblemSpaceSplit;
import org.prefopt.datasets.split.SplitSide;
import org.prefopt.datasets.synthetic.ArithmeticGenerator;
import org.prefopt.datasets.synthetic.Style;
import org.prefopt.datasets.synthetic.SyntheticArithmeticDataset;

/** Datasets (GSM8K, MATH, JSONL, preference pairs, synthetic arithmetic), filters and prompt samplers. */
public final class DatasetsPlugin implements Plugin {

    private static final List<String> POLICIES = List.of("fail", "skip");

    @Override
    public String name() {
        return "datasets";
    }

    @Override
    public List<ComponentFactory<?>> factories() {
        return List.of(
                ComponentFactory.of(Slot.DATASET, "gsm8k",
                        "GSM8K as JSONL or Parquet (question, answer with '#### N'); difficulty = reasoning steps",
                        o -> new RecordFileDataset("gsm8k", path(o), format(o), policy(o), new Gsm8kRecords()),
                        DatasetsPlugin::validateFile),
                ComponentFactory.of(Slot.DATASET, "math",
                        "Hendrycks MATH as JSONL, Parquet or the directory tree; gold from 'answer' or the last"
                                + " \\boxed{}",
                        o -> new MathDataset(path(o), format(o), policy(o)),
                        (o, p) -> validatePath(o, p, true)),
                ComponentFactory.of(Slot.DATASET, "jsonl",
                        "any JSONL or Parquet file with configurable field names (prompt, answer, difficulty, id,"
                                + " solution, subject)",
                        o -> new RecordFileDataset("jsonl", path(o), format(o), policy(o), new FieldMapping(
                                o.getString("prompt-field"), o.getString("answer-field"),
                                o.getString("difficulty-field"), o.getString("id-field"),
                                o.getString("solution-field"), o.getString("subject-field"))),
                        (o, p) -> {
                            validateFile(o, p);
                            if (o.getString("prompt-field").isBlank()) {
                                p.add(o, "prompt-field", "must name the field that holds the prompt");
                            }
                        }),
                ComponentFactory.of(Slot.DATASET, "preference-jsonl",
                        "preference pairs as JSONL or Parquet (prompt, chosen, rejected, optional difficulty and id)",
                        o -> new RecordFileDataset("preference-jsonl", path(o), format(o), policy(o),
                                new PreferenceRecords()),
                        DatasetsPlugin::validateFile),
                ComponentFactory.<Dataset>of(Slot.DATASET, "synthetic-arithmetic",
                        "seeded graded arithmetic word problems, levels 1-5, with step-by-step solutions",
                        DatasetsPlugin::synthetic, DatasetsPlugin::validateSynthetic),

                ComponentFactory.of(Slot.FILTER, "difficulty",
                        "keep a difficulty range: min/max tiers and/or a quantile range",
                        o -> new DifficultyFilter(o.getInt("min"), o.getInt("max"), o.getDouble("min-quantile"),
                                o.getDouble("max-quantile"), o.getBoolean("keep-unknown")),
                        DatasetsPlugin::validateDifficulty),
                ComponentFactory.of(Slot.FILTER, "numeric-answer",
                        "keep examples whose gold answer is a plain number (integer, decimal, simple fraction)",
                        o -> new NumericAnswerFilter(kinds(o.getStringList("accept")), o.getBoolean("invert")),
                        (o, p) -> {
                            try {
                                kinds(o.getStringList("accept"));
                            } catch (IllegalArgumentException e) {
                                p.add(o, "accept", e.getMessage());
                            }
                        }),
                ComponentFactory.of(Slot.FILTER, "subject",
                        "keep or drop subjects (MATH type/subject), case-insensitive",
                        o -> new SubjectFilter(o.getStringList("keep"), o.getStringList("drop")),
                        (o, p) -> { }),
                ComponentFactory.of(Slot.FILTER, "ids",
                        "keep ids listed in an include file and/or drop ids listed in an exclude file",
                        o -> new IdsFilter(optionalPath(o, "include-file"), optionalPath(o, "exclude-file")),
                        DatasetsPlugin::validateIds),
                ComponentFactory.of(Slot.FILTER, "held-out",
                        "one side of a seeded train/held-out split (the same dataset with side = train for training"
                                + " and side = held-out for an eval set)",
                        o -> new HeldOutFilter(o.getDouble("fraction"), o.getLong("seed"),
                                SplitSide.parse(o.getString("side"), "side", false)),
                        (o, p) -> {
                            double f = o.getDouble("fraction");
                            if (!(f > 0 && f < 1)) {
                                p.add(o, "fraction", "must be strictly between 0 and 1 (got " + f + ")");
                            }
                            try {
                                SplitSide.parse(o.getString("side"), "side", false);
                            } catch (IllegalArgumentException e) {
                                p.add(o, "side", e.getMessage());
                            }
                        }),
                ComponentFactory.withModule(Slot.FILTER, "length", LengthFilterOptions.DESCRIPTION,
                        LengthFilterOptions::module, LengthFilterOptions::validate),

                ComponentFactory.of(Slot.SAMPLER, "uniform",
                        "seeded epoch-based shuffling without replacement",
                        o -> new UniformSampler(), (o, p) -> { }),
                ComponentFactory.of(Slot.SAMPLER, "curriculum",
                        "easy-to-hard curriculum by difficulty over a number of steps",
                        o -> new CurriculumSampler(o.getLong("steps"), o.getDouble("start-fraction"),
                                CurriculumSampler.Schedule.parse(o.getString("schedule"))),
                        (o, p) -> {
                            p.requireRange(o, "steps", 1L, Long.MAX_VALUE);
                            p.requireRange(o, "start-fraction", 1e-9, 1.0);
                            p.requireOneOf(o, "schedule", List.of("linear", "root"));
                        }),
                ComponentFactory.of(Slot.SAMPLER, "pass-rate",
                        "DAPO-style dynamic sampling: skip prompts recently always or never solved",
                        o -> new PassRateSampler(o.getDouble("success-threshold"), o.getDouble("skip-above"),
                                o.getDouble("skip-below"), o.getInt("window"), o.getInt("max-consecutive-skips")),
                        (o, p) -> {
                            p.requireRange(o, "skip-above", 0.0, 1.0);
                            p.requireRange(o, "skip-below", 0.0, 1.0);
                            if (!(o.getDouble("skip-below") < o.getDouble("skip-above"))) {
                                p.add(o, "skip-below", "must be less than skip-above");
                            }
                            p.requireRange(o, "window", 1L, 1000L);
                            p.requireRange(o, "max-consecutive-skips", 0L, 1_000_000L);
                        }));
    }

    // ---- option helpers -------------------------------------------------------------------------------------

    private static Path path(Config o) {
        return Path.of(o.getString("path"));
    }

    /** The format option's format for every file, or null for {@code auto} (each file's name decides). */
    private static RecordFormat format(Config o) {
        return RecordFormat.fixed(o.getString(RecordFormat.OPTION));
    }

    private static BadRecordPolicy policy(Config o) {
        return BadRecordPolicy.parse(o.getString(BadRecordPolicy.OPTION));
    }

    private static Path optionalPath(Config o, String key) {
        String s = o.getString(key);
        return s.isBlank() ? null : Path.of(s);
    }

    private static void validateFile(Config o, OptionProblems p) {
        validatePath(o, p, false);
    }

    /** The path names a file or a set of shards ({@link ShardSet}), each readable; for math, or a tree. */
    private static void validatePath(Config o, OptionProblems p, boolean math) {
        p.requireOneOf(o, BadRecordPolicy.OPTION, POLICIES);
        p.requireOneOf(o, RecordFormat.OPTION, RecordFormat.CHOICES);
        if (!o.hasPath("path") || o.getString("path").isBlank()) {
            p.add(o, "path", "is required: the dataset file, a directory of shards or a pattern such as"
                    + " data/train-*.parquet");
            return;
        }
        Path path = path(o);
        if (math && MathDataset.isTree(path)) {
            if (!o.getString(RecordFormat.OPTION).equals("auto")) {
                p.add(o, RecordFormat.OPTION, "applies to a file; a directory is read as the tree of JSON files"
                        + " (leave format = auto)");
            }
            return;
        }
        RecordFormat fixed = null;
        boolean formatKnown = true;
        try {
            fixed = format(o);
        } catch (IllegalArgumentException e) {
            formatKnown = false; // reported above; without a format, only check that the files are there
        }
        ShardSet.Resolution shards = ShardSet.resolve(path, fixed);
        if (shards.problem() != null) {
            p.add(o, "path", shards.problem());
            return;
        }
        for (Path file : shards.files()) {
            String problem = formatKnown ? RecordFiles.problemWith(file, RecordFormat.orByName(fixed, file))
                    : DataFiles.problemWith(file, "a data file");
            if (problem != null) {
                p.add(o, "path", problem);
            }
        }
    }

    private static Dataset synthetic(Config o) {
        Style style = Style.parse(o.getString("style"));
        long seed = o.getLong("seed");
        long count = o.getLong("count");
        ProblemSpaceSplit split = new ProblemSpaceSplit(SplitSide.parse(o.getString("split"), "split", true),
                o.getDouble("held-out-share"));
        ArithmeticGenerator g = new ArithmeticGenerator(seed, style, o.getInt("min-level"), o.getInt("max-level"),
                o.getDouble("non-numeric-share"), o.getDouble("fraction-share"), o.getInt("word-problems-from-level"),
                split);
        boolean distinct = o.getBoolean("distinct");
        String splitText = split.side() == SplitSide.ALL ? ""
                : String.format(Locale.ROOT, ", %s side of a %.3g held-out split", split.side().configName(),
                        split.heldOutShare());
        return new SyntheticArithmeticDataset(g, count, distinct, "synthetic-arithmetic(count=" + count + ", seed="
                + seed + ", style=" + style.name().toLowerCase(Locale.ROOT) + splitText
                + (distinct ? ", distinct" : "") + ")");
    }

    private static void validateSynthetic(Config o, OptionProblems p) {
        p.requireRange(o, "count", 1L, Integer.MAX_VALUE);
        p.requireOneOf(o, "style", List.of("gsm8k", "math"));
        p.requireRange(o, "min-level", 1L, 5L);
        p.requireRange(o, "max-level", 1L, 5L);
        if (o.getInt("min-level") > o.getInt("max-level")) {
            p.add(o, "min-level", "must not exceed max-level");
        }
        p.requireRange(o, "non-numeric-share", 0.0, 1.0);
        p.requireRange(o, "fraction-share", 0.0, 1.0);
        if (o.getDouble("non-numeric-share") + o.getDouble("fraction-share") > 1.0) {
            p.add(o, "fraction-share", "non-numeric-share + fraction-share must not exceed 1");
        }
        p.requireRange(o, "word-problems-from-level", 1L, 6L);
        p.requireOneOf(o, "split", List.of("all", "train", "held-out"));
        p.requireRange(o, "held-out-share", 0.01, 0.99);
    }

    private static void validateDifficulty(Config o, OptionProblems p) {
        p.requireRange(o, "min", 0L, Integer.MAX_VALUE);
        p.requireRange(o, "max", 0L, Integer.MAX_VALUE);
        if (o.getInt("max") > 0 && o.getInt("min") > o.getInt("max")) {
            p.add(o, "min", "must not exceed max (0 means no bound)");
        }
        p.requireRange(o, "min-quantile", 0.0, 1.0);
        p.requireRange(o, "max-quantile", 0.0, 1.0);
        if (o.getDouble("min-quantile") > o.getDouble("max-quantile")) {
            p.add(o, "min-quantile", "must not exceed max-quantile");
        }
    }

    private static void validateIds(Config o, OptionProblems p) {
        Path include = optionalPath(o, "include-file");
        Path exclude = optionalPath(o, "exclude-file");
        if (include == null && exclude == null) {
            p.add(o, "include-file", "set include-file, exclude-file or both (files of ids, one per line)");
        }
        if (include != null && !java.nio.file.Files.isRegularFile(include)) {
            p.add(o, "include-file", "file not found: " + include.toAbsolutePath());
        }
        if (exclude != null && !java.nio.file.Files.isRegularFile(exclude)) {
            p.add(o, "exclude-file", "file not found: " + exclude.toAbsolutePath());
        }
    }

    static Set<NumericAnswer.Kind> kinds(List<String> names) {
        Set<NumericAnswer.Kind> out = EnumSet.noneOf(NumericAnswer.Kind.class);
        for (String n : names) {
            try {
                out.add(NumericAnswer.Kind.valueOf(n.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + n + "' is not one of integer, decimal, fraction");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("must list at least one of integer, decimal, fraction");
        }
        return out;
    }
}
