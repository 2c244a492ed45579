package org.prefopt.launcher.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.prefopt.launcher.config.Problems;

/**
 * Reads and checks {@code sweep.findings}:
 *
 * <pre>
 * findings {
 *   plateau       { set = heldout, variant = grpo-all, reference = base, hardest-tiers = 1 }
 *   non-inferior  { set = heldout, variant = grpo-easy-only, reference = grpo-all, margin = 0.03,
 *                   baseline = base }   # optional: the claim needs the reference to have gained over it
 *   cross-dataset { set = math-numeric, variant = grpo-all, reference = grpo-math }
 * }
 * </pre>
 *
 * Every name must be a variant of the sweep and the set an eval set of both variants, so a typo is reported with its
 * file and line before anything trains, not discovered in the comparison hours later.
 */
final class FindingsSection {

    static final String PATH = SweepFile.SECTION + ".findings";
    static final String PLATEAU = "plateau";
    static final String NON_INFERIOR = "non-inferior";
    static final String CROSS_DATASET = "cross-dataset";
    private static final Set<String> KINDS = Set.of(PLATEAU, NON_INFERIOR, CROSS_DATASET);
    private static final Set<String> COMMON = Set.of("set", "variant", "reference");

    private FindingsSection() {
    }

    /**
     * @param evalSets each variant's (sweep-file name) eval set names
     */
    static Findings parse(Config sweep, Map<String, Set<String>> evalSets, Problems problems) {
        if (!sweep.hasPath("findings")) {
            return Findings.NONE;
        }
        if (sweep.getValue("findings").valueType() != ConfigValueType.OBJECT) {
            problems.add(sweep.getValue("findings").origin(), PATH, "must be an object: findings { plateau { ... }"
                    + " non-inferior { ... } cross-dataset { ... } }");
            return Findings.NONE;
        }
        Config findings = sweep.getConfig("findings");
        for (String kind : findings.root().keySet()) {
            if (!KINDS.contains(kind)) {
                problems.add(findings.getValue(kind).origin(), PATH + "." + kind, "unknown finding '" + kind
                        + "'; the findings are " + new TreeSet<>(KINDS));
            } else if (findings.getValue(kind).valueType() != ConfigValueType.OBJECT) {
                problems.add(findings.getValue(kind).origin(), PATH + "." + kind,
                        "must be an object { set = ..., variant = ..., reference = ... }");
            }
        }
        Findings.Plateau plateau = null;
        Findings.NonInferior nonInferior = null;
        Findings.CrossDataset crossDataset = null;
        Config c;
        if ((c = section(findings, PLATEAU)) != null) {
            String[] names = common(c, PLATEAU, Set.of("hardest-tiers"), evalSets, problems);
            int hardest = 1;
            if (c.hasPath("hardest-tiers")) {
                hardest = integer(c, PLATEAU, "hardest-tiers", problems);
                if (hardest < 1) {
                    problems.add(c.getValue("hardest-tiers").origin(), PATH + "." + PLATEAU + ".hardest-tiers",
                            "must be at least 1 (the number of hardest tiers whose gain is compared)");
                }
            }
            plateau = names == null ? null : new Findings.Plateau(names[0], names[1], names[2], hardest);
        }
        if ((c = section(findings, NON_INFERIOR)) != null) {
            String[] names = common(c, NON_INFERIOR, Set.of("margin", "baseline"), evalSets, problems);
            double margin = Double.NaN;
            String where = PATH + "." + NON_INFERIOR + ".margin";
            if (!c.hasPath("margin")) {
                problems.add(c.origin(), where, "a non-inferiority claim needs its margin, as a fraction:"
                        + " margin = 0.03 for 3 points");
            } else {
                try {
                    margin = c.getDouble("margin");
                    if (!(margin > 0 && margin < 1)) {
                        problems.add(c.getValue("margin").origin(), where, "must be a fraction between 0 and 1"
                                + " (0.03 = 3 points), got " + margin);
                    }
                } catch (ConfigException.WrongType e) {
                    problems.add(c.getValue("margin").origin(), where, "must be a number (0.03 = 3 points)");
                }
            }
            String baseline = null;
            if (c.hasPath("baseline")) {
                String b = c.getString("baseline");
                if (!evalSets.containsKey(b)) {
                    problems.add(c.getValue("baseline").origin(), PATH + "." + NON_INFERIOR + ".baseline", "'" + b
                            + "' is not a variant of this sweep " + new TreeSet<>(evalSets.keySet()));
                } else if (names != null && !evalSets.get(b).contains(names[0])) {
                    problems.add(c.getValue("baseline").origin(), PATH + "." + NON_INFERIOR + ".baseline", "variant '"
                            + b + "' has no eval set '" + names[0] + "'");
                } else {
                    baseline = b;
                }
            }
            nonInferior = names == null ? null : new Findings.NonInferior(names[0], names[1], names[2], margin,
                    baseline);
        }
        if ((c = section(findings, CROSS_DATASET)) != null) {
            String[] names = common(c, CROSS_DATASET, Set.of(), evalSets, problems);
            crossDataset = names == null ? null : new Findings.CrossDataset(names[0], names[1], names[2]);
        }
        return new Findings(plateau, nonInferior, crossDataset);
    }

    private static Config section(Config findings, String kind) {
        return findings.hasPath(kind) && findings.getValue(kind).valueType() == ConfigValueType.OBJECT
                ? findings.getConfig(kind) : null;
    }

    /** Checks the keys, set, variant and reference; returns {set, variant, reference} or null when one is missing. */
    private static String[] common(Config c, String kind, Set<String> extra, Map<String, Set<String>> evalSets,
                                   Problems problems) {
        String path = PATH + "." + kind;
        Set<String> allowed = new TreeSet<>(COMMON);
        allowed.addAll(extra);
        for (String key : c.root().keySet()) {
            if (!allowed.contains(key)) {
                problems.add(c.getValue(key).origin(), path + "." + key, "unknown key '" + key + "' of finding '"
                        + kind + "'; the keys are " + allowed);
            }
        }
        String[] out = new String[3];
        List<String> keys = List.of("set", "variant", "reference");
        for (int i = 0; i < 3; i++) {
            String key = keys.get(i);
            if (!c.hasPath(key)) {
                problems.add(c.root().origin(), path + "." + key, "finding '" + kind + "' needs " + key + " = ...");
                continue;
            }
            try {
                out[i] = c.getString(key);
            } catch (ConfigException.WrongType e) {
                problems.add(c.getValue(key).origin(), path + "." + key, "must be a string");
            }
        }
        for (int i = 1; i < 3; i++) {
            if (out[i] != null && !evalSets.containsKey(out[i])) {
                problems.add(c.getValue(keys.get(i)).origin(), path + "." + keys.get(i), "'" + out[i]
                        + "' is not a variant of this sweep " + new TreeSet<>(evalSets.keySet()));
                out[i] = null;
            }
        }
        if (out[1] != null && out[1].equals(out[2])) {
            problems.add(c.getValue("reference").origin(), path + ".reference", "the variant and the reference are"
                    + " both '" + out[1] + "'; name two different variants");
        }
        if (out[0] != null) {
            for (int i = 1; i < 3; i++) {
                if (out[i] != null && !evalSets.get(out[i]).contains(out[0])) {
                    problems.add(c.getValue("set").origin(), path + ".set", "variant '" + out[i] + "' has no eval set '"
                            + out[0] + "' (its eval.sets are " + new TreeSet<>(evalSets.get(out[i])) + ")");
                }
            }
        }
        for (String s : out) {
            if (s == null) {
                return null;
            }
        }
        return out;
    }

    private static int integer(Config c, String kind, String key, Problems problems) {
        try {
            return c.getInt(key);
        } catch (ConfigException.WrongType e) {
            problems.add(c.getValue(key).origin(), PATH + "." + kind + "." + key, "must be an integer");
            return 1;
        }
    }
}
