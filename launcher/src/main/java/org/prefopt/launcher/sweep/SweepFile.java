package org.prefopt.launcher.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.prefopt.launcher.config.Problems;
import org.prefopt.launcher.config.RunConfigLoader;

/**
 * Reads a sweep file: a run file (the base every variant shares, {@code include} allowed) plus a {@code sweep}
 * section:
 *
 * <pre>
 * sweep {
 *   name = my-ablation            # default: the file name
 *   output-dir = runs             # default: the base's run.output-dir
 *   parallel = 1                  # runs training at the same time
 *   compare-to = base             # differences are reported against this variant (default: the first)
 *   variants = [                  # optional; each entry's set {...} is merged over the base
 *     { name = base, set { ... } }
 *     { name = easy, fork-from = base, set { ... } }   # starts from base's last checkpoint
 *   ]
 *   grid { run.seed = [1, 2] }    # optional; every variant runs once per combination of these values
 *   findings { ... }              # optional; the study's claims the comparison checks, see FindingsSection
 * }
 * </pre>
 *
 * Lists in {@code set} replace the base's lists (HOCON merges objects, not lists), so a variant with different
 * stages restates the whole {@code stages} list; shared pieces can live in {@code sweep.defs} and be substituted.
 */
public final class SweepFile {

    public static final String SECTION = "sweep";
    private static final Set<String> KEYS = Set.of("name", "output-dir", "parallel", "compare-to", "variants", "grid",
            "defs", "findings");
    private static final Set<String> VARIANT_KEYS = Set.of("name", "set", "fork-from");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private SweepFile() {
    }

    public static SweepSpec load(Path file, List<String> overrides) {
        Config root = RunConfigLoader.load(file, overrides);
        String fileName = file.getFileName().toString().replaceFirst("\\.(conf|hocon)$", "");
        return parse(root, fileName, file.toString());
    }

    static SweepSpec parse(Config root, String defaultName, String where) {
        Problems problems = new Problems();
        if (!root.hasPath(SECTION) || root.getValue(SECTION).valueType() != ConfigValueType.OBJECT) {
            problems.add(where, SECTION, "a sweep file is a run file plus a sweep { variants = [...] } and/or"
                    + " sweep { grid { ... } } section; this file has none (to run it once, use prefopt run)");
            problems.throwIfAny();
        }
        Config sweep = root.getConfig(SECTION);
        for (String key : sweep.root().keySet()) {
            if (!KEYS.contains(key)) {
                problems.add(sweep.getValue(key).origin(), SECTION + "." + key, "unknown sweep option '" + key
                        + "'; the options are " + KEYS.stream().sorted().toList());
            }
        }
        Config base = root.withoutPath(SECTION);
        String name = string(sweep, "name", defaultName, problems);
        String outputDir = string(sweep, "output-dir",
                base.hasPath("run.output-dir") ? base.getString("run.output-dir") : "runs", problems);
        int parallel = sweep.hasPath("parallel") ? integer(sweep, "parallel", problems) : 1;
        if (parallel < 1) {
            problems.add(sweep.getValue("parallel").origin(), SECTION + ".parallel", "must be at least 1");
        }
        if (!NAME.matcher(name).matches()) {
            problems.add(sweep.hasPath("name") ? sweep.getValue("name").origin() : null, SECTION + ".name",
                    "'" + name + "' is not usable as a directory name: use letters, digits, '.', '_' and '-'");
        }

        List<Entry> entries = entries(sweep, problems);
        List<Map<String, ConfigValue>> cells = grid(sweep, problems);
        if (entries.isEmpty()) {
            problems.throwIfAny();
        }

        Set<String> names = new HashSet<>();
        for (Entry e : entries) {
            if (!names.add(e.name)) {
                problems.add(e.origin, SECTION + ".variants", "two variants are named '" + e.name + "'");
            }
        }
        for (Entry e : entries) {
            if (e.forkFrom != null && !names.contains(e.forkFrom)) {
                problems.add(e.origin, SECTION + ".variants", "variant '" + e.name + "' forks from '" + e.forkFrom
                        + "', which is not a variant of this sweep " + names);
            }
        }
        checkNoCycle(entries, problems);
        String compareTo = sweep.hasPath("compare-to") ? string(sweep, "compare-to", "", problems)
                : entries.get(0).name;
        if (!names.contains(compareTo) && sweep.hasPath("compare-to")) {
            problems.add(sweep.getValue("compare-to").origin(), SECTION + ".compare-to", "'" + compareTo
                    + "' is not a variant of this sweep " + names);
        }
        problems.throwIfAny();

        List<Variant> variants = new ArrayList<>();
        for (Entry e : entries) {
            for (Map<String, ConfigValue> cell : cells) {
                Config config = e.set.withFallback(base);
                Map<String, String> labels = new LinkedHashMap<>();
                for (var g : cell.entrySet()) {
                    config = config.withValue(g.getKey(), g.getValue());
                    labels.put(g.getKey(), render(g.getValue()));
                }
                String variantName = cellName(e.name, labels, entries.size() == 1 && e.implicit);
                config = config.withValue("run.name", ConfigFactory.parseMap(Map.of("v", name + "-" + variantName))
                        .getValue("v"));
                variants.add(new Variant(variantName, e.name, config.resolve(), e.forkFrom, labels));
            }
        }
        Findings findings = FindingsSection.parse(sweep, evalSets(variants), problems);
        problems.throwIfAny();
        return new SweepSpec(name, Path.of(outputDir).resolve(name), variants, parallel, compareTo, findings);
    }

    /** Each variant's (sweep-file name) eval set names, over all its grid cells. */
    private static Map<String, Set<String>> evalSets(List<Variant> variants) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (Variant v : variants) {
            Set<String> sets = out.computeIfAbsent(v.group(), g -> new java.util.TreeSet<>());
            try {
                for (Config set : v.config().getConfigList("eval.sets")) {
                    if (set.hasPath("name")) {
                        sets.add(set.getString("name"));
                    }
                }
            } catch (ConfigException e) {
                // a malformed eval section is reported with its line when the variant's run file is checked
            }
        }
        return out;
    }

    /** The variant's name in a grid cell: {@code easy_seed-2}; only the last segment of a grid path is used. */
    static String cellName(String variant, Map<String, String> labels, boolean gridOnly) {
        StringBuilder sb = new StringBuilder(gridOnly ? "" : variant);
        for (var l : labels.entrySet()) {
            String key = l.getKey().substring(l.getKey().lastIndexOf('.') + 1);
            if (sb.length() > 0) {
                sb.append('_');
            }
            sb.append(key).append('-').append(l.getValue().replaceAll("[^A-Za-z0-9.-]+", "."));
        }
        return sb.length() == 0 ? variant : sb.toString();
    }

    private record Entry(String name, Config set, String forkFrom, boolean implicit,
                         com.typesafe.config.ConfigOrigin origin) {
    }

    private static List<Entry> entries(Config sweep, Problems problems) {
        if (!sweep.hasPath("variants")) {
            if (!sweep.hasPath("grid")) {
                problems.add(sweep.origin(), SECTION, "a sweep needs variants = [...] or grid { ... } (or both)");
            }
            return List.of(new Entry("run", ConfigFactory.empty(), null, true, sweep.origin()));
        }
        List<? extends ConfigObject> list;
        try {
            list = sweep.getObjectList("variants");
        } catch (ConfigException.WrongType e) {
            problems.add(sweep.getValue("variants").origin(), SECTION + ".variants",
                    "must be a list of { name = ..., set { ... } } objects");
            return List.of();
        }
        if (list.isEmpty()) {
            problems.add(sweep.getValue("variants").origin(), SECTION + ".variants", "is empty");
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Config v = list.get(i).toConfig();
            String path = SECTION + ".variants." + i;
            for (String key : v.root().keySet()) {
                if (!VARIANT_KEYS.contains(key)) {
                    problems.add(v.getValue(key).origin(), path + "." + key, "unknown variant option '" + key
                            + "'; the options are " + VARIANT_KEYS.stream().sorted().toList()
                            + " (run settings go inside set { ... })");
                }
            }
            if (!v.hasPath("name")) {
                problems.add(list.get(i).origin(), path, "a variant needs a name");
                continue;
            }
            String n = string(v, "name", "", problems);
            if (!NAME.matcher(n).matches()) {
                problems.add(v.getValue("name").origin(), path + ".name", "'" + n + "' is not usable as a directory"
                        + " name: use letters, digits, '.', '_' and '-'");
            }
            Config set = ConfigFactory.empty();
            if (v.hasPath("set")) {
                if (v.getValue("set").valueType() != ConfigValueType.OBJECT) {
                    problems.add(v.getValue("set").origin(), path + ".set", "must be an object of run settings");
                } else {
                    set = v.getConfig("set");
                }
            }
            String fork = v.hasPath("fork-from") ? string(v, "fork-from", "", problems) : null;
            out.add(new Entry(n, set, fork, false, list.get(i).origin()));
        }
        return out;
    }

    private static void checkNoCycle(List<Entry> entries, Problems problems) {
        Map<String, String> parent = new LinkedHashMap<>();
        entries.forEach(e -> parent.put(e.name, e.forkFrom));
        for (Entry e : entries) {
            Set<String> seen = new HashSet<>();
            for (String at = e.name; at != null; at = parent.get(at)) {
                if (!seen.add(at)) {
                    problems.add(e.origin, SECTION + ".variants", "variant '" + e.name + "' forks in a cycle "
                            + seen);
                    return;
                }
            }
        }
    }

    /** Every combination of the grid's values, in row-major order of its keys (one empty cell without a grid). */
    private static List<Map<String, ConfigValue>> grid(Config sweep, Problems problems) {
        List<Map<String, ConfigValue>> cells = new ArrayList<>();
        cells.add(new LinkedHashMap<>());
        if (!sweep.hasPath("grid")) {
            return cells;
        }
        if (sweep.getValue("grid").valueType() != ConfigValueType.OBJECT) {
            problems.add(sweep.getValue("grid").origin(), SECTION + ".grid",
                    "must be an object of setting paths to lists of values, e.g. grid { run.seed = [1, 2] }");
            return cells;
        }
        Config grid = sweep.getConfig("grid");
        List<String> paths = grid.entrySet().stream().map(Map.Entry::getKey).sorted().toList();
        if (paths.isEmpty()) {
            problems.add(sweep.getValue("grid").origin(), SECTION + ".grid", "is empty");
        }
        for (String path : paths) {
            ConfigValue values = grid.getValue(path);
            if (!(values instanceof ConfigList list) || list.isEmpty()) {
                problems.add(values.origin(), SECTION + ".grid." + path, "must be a non-empty list of values, e.g. "
                        + path + " = [1, 2]");
                continue;
            }
            List<Map<String, ConfigValue>> next = new ArrayList<>();
            for (Map<String, ConfigValue> cell : cells) {
                for (ConfigValue v : list) {
                    Map<String, ConfigValue> c = new LinkedHashMap<>(cell);
                    c.put(path, v);
                    next.add(c);
                }
            }
            cells = next;
        }
        return cells;
    }

    private static String render(ConfigValue v) {
        return v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped()
                : v.render(ConfigRenderOptions.concise());
    }

    private static String string(Config c, String key, String fallback, Problems problems) {
        if (!c.hasPath(key)) {
            return fallback;
        }
        try {
            return c.getString(key);
        } catch (ConfigException.WrongType e) {
            problems.add(c.getValue(key).origin(), key, "must be a string");
            return fallback;
        }
    }

    private static int integer(Config c, String key, Problems problems) {
        try {
            return c.getInt(key);
        } catch (ConfigException.WrongType e) {
            problems.add(c.getValue(key).origin(), key, "must be an integer");
            return 1;
        }
    }
}
