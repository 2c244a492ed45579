package org.prefopt.launcher.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Stage;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.prefopt.api.data.Example;
import org.prefopt.api.model.PolicyModel;
import org.prefopt.api.plugin.Slot;
import org.prefopt.api.reward.RewardFunction;
import org.prefopt.launcher.assembly.Assembler;
import org.prefopt.launcher.assembly.RoutedPolicy;
import org.prefopt.launcher.assembly.RunAssembly;
import org.prefopt.launcher.config.Overrides;
import org.prefopt.launcher.config.Problems;
import org.prefopt.launcher.config.ResolvedRun;
import org.prefopt.launcher.config.RunConfigLoader;
import org.prefopt.launcher.config.RunConfigResolver;
import org.prefopt.launcher.evaluation.EvalSet;
import org.prefopt.launcher.evaluation.EvalSettings;
import org.prefopt.launcher.evaluation.EvalSummary;
import org.prefopt.launcher.evaluation.EvalSummaryReader;
import org.prefopt.launcher.evaluation.Evaluator;
import org.prefopt.launcher.report.EvalTable;
import org.prefopt.launcher.rollout.RewardScorer;
import org.prefopt.launcher.rollout.Seeds;
import org.prefopt.launcher.rollout.WeightedReward;
import org.prefopt.launcher.run.ExamplePools;
import org.prefopt.launcher.run.RunSections;
import org.prefopt.launcher.rundir.ModelSource;
import org.prefopt.launcher.rundir.RunDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code prefopt eval}: the in-run evaluation ({@link Evaluator}) of a run's checkpoint or of a Hugging Face
 * checkpoint, on the config's eval sets or on a dataset named on the command line. Writes the same
 * {@code eval/<set>/step-<N>.json} and {@code -generations.jsonl} files as a run (so {@code prefopt score} can
 * re-grade them) and prints the run's closing table.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a model: greedy pass@1 (95%% Wilson interval) and sampled mean@k / pass@k, overall and"
                + " per difficulty tier, written as eval/<set>/step-<N>.json and -generations.jsonl under --out.",
                "--model is a run directory (its config.conf gives backend, policy, prompt, generation, rewards and"
                        + " eval settings; the weights come from its newest checkpoint, or --checkpoint), a PEFT"
                        + " adapter directory (on the base of --base or of its base_model_name_or_path), or a Hugging"
                        + " Face checkpoint directory such as a merged export (config.json; prompt, generation, rewards"
                        + " and eval settings from --config <run file>, else the defaults plus --reward)."})
final class EvalCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(EvalCommand.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Sections a run needs for training only; eval neither validates nor creates them. */
    private static final List<String> TRAINING_SECTIONS = List.of("algorithm", "dataset", "filter", "sampler", "stages");
    private static final String ORIGIN = "prefopt eval command line";

    @ParentCommand
    PrefoptCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "<dir>",
            description = "A run directory (or one of its checkpoints/step-<N> directories), a PEFT adapter"
                    + " directory or a Hugging Face checkpoint directory.")
    Path model;

    /** {@code --checkpoint} of a run, {@code --base} of a PEFT adapter. */
    @Mixin
    PolicyArgs.Source sourceArgs = new PolicyArgs.Source();

    @Option(names = "--engine", paramLabel = "<policy|onnxruntime>",
            description = "What generates the samples: the policy itself (default: the config's engine section, else"
                    + " the policy) or ONNX Runtime; -o engine.path=<dir> evaluates an ONNX export instead.")
    String engine;

    @Option(names = "--config", paramLabel = "<run file>",
            description = "With a Hugging Face checkpoint: take backend, prompt, generation, rewards and eval settings"
                    + " (and eval.sets) from this run file; its policy section is replaced by the checkpoint.")
    Path config;

    @ArgGroup(exclusive = false, multiplicity = "0..1",
            heading = "What to evaluate instead of the config's eval.sets (same syntax as prefopt data stats):%n")
    DataCommand.Selection dataset;

    @Option(names = "--name", paramLabel = "<set name>",
            description = "Name of the --dataset set (directory under eval/). Default: <type>-<file name>.")
    String name;

    @Option(names = "--reward", paramLabel = "<type[:k=v,...]>",
            description = "A reward, replacing the config's reward list (repeatable, in order; the first judges"
                    + " correctness unless eval.correct-reward says otherwise), e.g. --reward gsm8k-answer.")
    List<String> rewards = new ArrayList<>();

    @Option(names = "--samples", paramLabel = "<K>",
            description = "Sampled completions per example for mean@k / pass@k (0: none). Default: the config's.")
    Integer samples;

    @Option(names = "--pass-at", paramLabel = "<k>", split = ",",
            description = "k of the reported pass@k (each at most --samples). Default: the config's eval.pass-at.")
    List<Integer> passAt;

    @Option(names = "--no-greedy", description = "Skip the greedy pass@1 pass (needs --samples > 0).")
    boolean noGreedy;

    @Option(names = "--max-examples", paramLabel = "<N>",
            description = "Evaluate at most the first N examples of each set (after filters).")
    Integer maxExamples;

    @Option(names = "--seed", paramLabel = "<S>",
            description = "Seed of the sampled pass. Default: the config's run.seed, so a run's checkpoint gets the"
                    + " same samples as its in-run evaluation at that step.")
    Long seed;

    @Option(names = "--out", paramLabel = "<dir>",
            description = "Where eval/<set>/... is written. Default: <run dir>/eval-cli, or ./eval-<model dir name>.")
    Path out;

    @Option(names = {"-o", "--override"}, paramLabel = "<key=value>",
            description = "Override a value of the effective config, e.g. -o generation.max-new-tokens=512 or"
                    + " -o backend.device=cuda:0 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--json", description = "Print the summaries as JSON instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ModelSource source;
        try {
            source = ModelSource.of(model, sourceArgs.checkpoint, sourceArgs.base);
        } catch (ModelSource.Unusable e) {
            throw new UsageException(e.getMessage());
        }
        if (source.isRun() && config != null) {
            throw new UsageException("--config is for Hugging Face checkpoints and PEFT adapters: a run directory is"
                    + " evaluated with its own " + RunDirectory.CONFIG_FILE + " (change values with -o key=value)");
        }
        if (name != null && dataset == null) {
            throw new UsageException("--name names a --dataset set; pass --dataset <type> --path <file> as well");
        }
        if (samples != null && samples < 0) {
            throw new UsageException("--samples must be >= 0 (got " + samples + ")");
        }
        if (maxExamples != null && maxExamples < 1) {
            throw new UsageException("--max-examples must be at least 1 (got " + maxExamples + ")");
        }
        ResolvedRun run = new RunConfigResolver(parent.registry()).resolve(effectiveConfig(source), runName(source));
        Path outDir = out != null ? out
                : source.isRun() ? source.runDirectory().resolve("eval-cli")
                : Path.of("eval-" + source.directory().toAbsolutePath().normalize().getFileName());

        // what can be wrong with the command line is found before the model is loaded
        EvalSettings settings = settings(RunSections.evaluation(run.config()));
        if (run.components().stream().noneMatch(c -> c.slot().equals(Slot.REWARD))) {
            throw new UsageException("no reward to judge correctness: pass --reward <type> (e.g. --reward gsm8k-answer"
                    + " or --reward math-answer)" + (source.isRun() ? "" : " or --config <run file> with a reward list"));
        }
        List<EvalSet> commandLineSets = dataset != null ? List.of(commandLineSet(settings)) : null;

        List<EvalSummary> summaries = new ArrayList<>();
        try (RunAssembly assembly = Assembler.assemble(run, Stage.PRODUCTION)) {
            Config root = assembly.config();
            List<EvalSet> sets = commandLineSets != null ? commandLineSets : configSets(assembly, settings);
            if (commandLineSets == null && source.isRun()) {
                // the run's own sets: the overlap with its training pools that the run recorded still holds
                Map<String, EvalSummary> recorded = EvalSummaryReader.latest(source.runDirectory());
                sets = sets.stream().map(s -> s.withTrainingOverlap(recordedOverlap(recorded, s.name()))).toList();
            }
            PolicyModel policy = RoutedPolicy.of(assembly);
            if (source.isRun()) {
                LOG.info("loading the weights of {}", source.checkpoint().directory());
                policy.loadTrainingState(source.checkpoint().policyDirectory());
            }
            List<WeightedReward> weighted = rewards(assembly);
            long evalSeed = seed != null ? seed : root.getLong("run.seed");
            int step = source.step();
            // as in the run, whose backend was seeded for this step before it evaluated
            assembly.component(Slot.BACKEND, "backend").seed(Seeds.derive(evalSeed, Seeds.BACKEND, step));
            Files.createDirectories(outDir);
            try (RewardScorer scorer = new RewardScorer(weighted, root.getInt("run.reward-threads"))) {
                Evaluator evaluator;
                try {
                    evaluator = new Evaluator(policy, RunSections.prompt(root), scorer, RunSections.generation(root),
                            settings, evalSeed, outDir);
                } catch (IllegalArgumentException e) {
                    // eval.correct-reward names no reward of the list (e.g. after --reward replaced it)
                    throw new UsageException(e.getMessage());
                }
                LOG.info("evaluating {} at step {}: correct = {}", source.isRun() ? source.checkpoint().directory()
                        : source.directory(), step, evaluator.ruleDescription());
                for (EvalSet set : sets) {
                    EvalSummary summary = evaluator.evaluate(set, step);
                    LOG.info("eval set {}: {}", set.name(), summary.oneLine());
                    summaries.add(summary);
                }
            }
        }
        PrintWriter console = spec.commandLine().getOut();
        if (json) {
            console.println(JSON.writeValueAsString(jsonReport(source, outDir, summaries)));
        } else {
            console.print(EvalTable.render(summaries));
            console.println("evaluation files: " + outDir.resolve(RunDirectory.EVAL).toAbsolutePath());
        }
        return ExitCodes.OK;
    }

    private String runName(ModelSource source) {
        return "eval-" + source.directory().toAbsolutePath().normalize().getFileName();
    }

    /**
     * The run's config (or {@code --config}, or nothing) without its training-only sections, with the checkpoint or
     * adapter as policy, {@code --reward} as the reward list and the {@code -o} overrides applied last.
     */
    private Config effectiveConfig(ModelSource source) {
        Config base;
        if (source.isRun()) {
            base = RunConfigLoader.load(source.runDirectory().resolve(RunDirectory.CONFIG_FILE), List.of());
        } else if (config != null) {
            base = RunConfigLoader.load(config, List.of());
        } else {
            base = ConfigFactory.empty(ORIGIN);
        }
        for (String section : TRAINING_SECTIONS) {
            base = base.withoutPath(section);
        }
        if (!source.isRun()) {
            base = base.withValue("policy", ConfigValueFactory.fromMap(source.policySection(), ORIGIN + " --model"));
        }
        if (engine != null) {
            base = base.withValue("engine", ConfigValueFactory.fromMap(PolicyArgs.engineSection(engine, 0),
                    ORIGIN + " --engine"));
        }
        if (dataset != null) {
            // the command line's set replaces the config's: do not create their datasets
            base = base.withValue("eval.sets", ConfigValueFactory.fromIterable(List.of(), ORIGIN + " --dataset"));
        }
        if (!rewards.isEmpty()) {
            List<ConfigValue> list = new ArrayList<>();
            for (String r : rewards) {
                ComponentOptions.Spec s = ComponentOptions.Spec.parse(r, "--reward");
                Config section = ConfigFactory.empty(ORIGIN + " --reward").withValue("type",
                        ConfigValueFactory.fromAnyRef(s.type(), ORIGIN + " --reward " + r));
                for (Map.Entry<String, String> e : s.options().entrySet()) {
                    section = section.withValue(e.getKey(), Overrides.parseValue(e.getValue(), ORIGIN + " --reward " + r));
                }
                list.add(section.root());
            }
            base = base.withValue("reward", ConfigValueFactory.fromIterable(list, ORIGIN + " --reward"));
        }
        Problems problems = new Problems();
        Config withOverrides = Overrides.apply(base, overrides, problems);
        problems.throwIfAny();
        return withOverrides.resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
    }

    /** The config's eval settings with the command line's sampling and greedy choices. */
    private EvalSettings settings(EvalSettings fromConfig) {
        if (noGreedy && (samples == null ? fromConfig.samples() : samples) == 0) {
            throw new UsageException("--no-greedy leaves nothing to evaluate without sampling: add --samples <K>");
        }
        return new EvalSettings(fromConfig.correctReward(), fromConfig.correctThreshold(),
                samples != null ? samples : fromConfig.samples(), passAt != null ? passAt : fromConfig.passAt(),
                !noGreedy && fromConfig.greedy(), fromConfig.batchSize());
    }

    private EvalSet commandLineSet(EvalSettings settings) {
        DataCommand.Loaded loaded = dataset.load(parent, "skip");
        if (!loaded.skipped().isEmpty()) {
            LOG.warn("--dataset {}: skipped {} bad records (-O on-bad-record=fail stops at the first), e.g. {}",
                    dataset.type, loaded.skipped().size(), loaded.skipped().get(0));
        }
        loaded.keptByFilter().forEach((filter, kept) -> LOG.info("--filter {} kept {} examples", filter, kept));
        String setName = name != null ? name : dataset.type + (dataset.path == null ? ""
                : "-" + Path.of(dataset.path).getFileName().toString().replaceFirst("\\.[^.]*$", "")
                .replaceAll("[^A-Za-z0-9._-]", "_"));
        if (loaded.examples().isEmpty()) {
            throw new UsageException("--dataset " + dataset.type + (dataset.path == null ? "" : " --path " + dataset.path)
                    + ": no examples left" + (dataset.filters.isEmpty() ? "" : " after the filters " + dataset.filters));
        }
        return set(setName, cap(loaded.examples()), settings.samples(), settings);
    }

    /** The training overlap the run recorded for eval set {@code set} (in its latest summary), or none. */
    private static Map<String, Integer> recordedOverlap(Map<String, EvalSummary> recorded, String set) {
        EvalSummary last = recorded.get(set);
        return last == null ? Map.of() : last.trainingOverlap();
    }

    /** The config's eval.sets, loaded as a run loads them, with the command line's overrides. */
    private List<EvalSet> configSets(RunAssembly assembly, EvalSettings settings) {
        Config root = assembly.config();
        List<? extends Config> entries = root.getConfigList("eval.sets");
        if (entries.isEmpty()) {
            throw new UsageException("nothing to evaluate: " + (config != null ? "--config " + config
                    : model.toString()) + " has no eval.sets; pass --dataset <type> --path <file>"
                    + (config == null && !Files.isRegularFile(model.resolve(RunDirectory.CONFIG_FILE))
                    ? " (or --config <run file> with eval.sets)" : ""));
        }
        int defaultLimit = root.getInt("eval.max-examples");
        List<EvalSet> sets = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            String prefix = "eval.sets." + i;
            int limit = entry.hasPath("max-examples") && entry.getInt("max-examples") >= 0
                    ? entry.getInt("max-examples") : defaultLimit;
            List<Example> examples = ExamplePools.load("eval set " + entry.getString("name"),
                    assembly.component(Slot.DATASET, prefix + ".dataset"),
                    assembly.components(Slot.FILTER, prefix + ".filter"), limit);
            EvalSet fromConfig = RunSections.evalSet(entry, examples, settings);
            sets.add(set(fromConfig.name(), cap(examples), samples != null ? samples : fromConfig.samples(), settings));
        }
        return sets;
    }

    private static EvalSet set(String setName, List<Example> examples, int setSamples, EvalSettings settings) {
        try {
            return new EvalSet(setName, examples, setSamples, settings.greedy());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private List<Example> cap(List<Example> examples) {
        return maxExamples != null && examples.size() > maxExamples ? examples.subList(0, maxExamples) : examples;
    }

    private static List<WeightedReward> rewards(RunAssembly assembly) {
        List<RewardFunction> functions = assembly.components(Slot.REWARD, "reward");
        List<WeightedReward> out = new ArrayList<>(functions.size());
        for (int i = 0; i < functions.size(); i++) {
            out.add(new WeightedReward(functions.get(i), assembly.rewardWeight(i)));
        }
        return out;
    }

    private ObjectNode jsonReport(ModelSource source, Path outDir, List<EvalSummary> summaries) throws Exception {
        ObjectNode report = JSON.createObjectNode();
        report.put("model", model.toAbsolutePath().normalize().toString());
        report.put("checkpoint", source.isRun() ? source.checkpoint().directory().toAbsolutePath().normalize()
                .toString() : null);
        report.put("step", source.step());
        report.put("out", outDir.resolve(RunDirectory.EVAL).toAbsolutePath().normalize().toString());
        ArrayNode list = report.putArray("evaluations");
        for (EvalSummary s : summaries) {
            list.add(JSON.readTree(s.summaryFile().toFile()));
        }
        return report;
    }
}
