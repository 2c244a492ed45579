package org.prefopt.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module map of docs/architecture.md, checked on the compiled classes of every module with the JDK's
 * {@code jdeps}: no package of any module takes part in a dependency cycle, plugins depend on api only (never on
 * each other or on the launcher), and api on no other module.
 */
class ArchitectureTest {

    static final List<String> MODULES = List.of("api", "algorithms-grpo", "algorithms-dpo", "rewards", "datasets",
            "backends", "launcher");
    static final List<String> PLUGINS = List.of("algorithms-grpo", "algorithms-dpo", "rewards", "datasets",
            "backends");
    private static final Pattern EDGE = Pattern.compile("^\\s+(org\\.prefopt\\.\\S+)\\s+->\\s+(org\\.prefopt\\.\\S+)\\s");

    /** Package -> packages it uses (prefopt packages only), per module. */
    static final Map<String, Map<String, Set<String>>> EDGES = new TreeMap<>();
    /** Package -> the module that holds it. */
    static final Map<String, String> OWNER = new HashMap<>();

    @BeforeAll
    static void readDependencies() {
        Path root = Path.of("").toAbsolutePath().getParent();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(
                () -> new IllegalStateException("this JDK has no jdeps tool"));
        for (String module : MODULES) {
            Path classes = root.resolve(module).resolve("target/classes");
            assertTrue(Files.isDirectory(classes), classes + " is missing: build every module first (mvn verify)");
            try (Stream<Path> files = Files.walk(classes)) {
                files.filter(f -> f.toString().endsWith(".class")).forEach(f -> OWNER.put(
                        classes.relativize(f.getParent()).toString().replace(f.getFileSystem().getSeparator(), "."),
                        module));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            StringWriter out = new StringWriter();
            int rc = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package",
                    "-filter:none", classes.toString());
            assertEquals(0, rc, "jdeps failed on " + classes + ":\n" + out);
            Map<String, Set<String>> edges = new TreeMap<>();
            for (String line : out.toString().split("\n")) {
                Matcher m = EDGE.matcher(line);
                if (m.find()) {
                    edges.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
                }
            }
            EDGES.put(module, edges);
        }
    }

    @Test
    void noPackageTakesPartInACycle() {
        Map<String, Set<String>> all = new TreeMap<>();
        EDGES.values().forEach(all::putAll);
        List<String> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(all)) {
            if (component.size() > 1) {
                cycles.add(String.join(" <-> ", component));
            }
        }
        assertEquals(List.of(), cycles, "package cycles (break them as docs/architecture.md describes)");
    }

    @Test
    void pluginsDependOnApiOnlyAndApiOnNothingElse() {
        List<String> wrong = new ArrayList<>();
        for (String module : MODULES) {
            if (module.equals("launcher")) {
                continue;
            }
            EDGES.get(module).forEach((from, targets) -> {
                for (String to : targets) {
                    String owner = OWNER.getOrDefault(to, "an unknown module");
                    if (!owner.equals(module) && !owner.equals("api")) {
                        wrong.add(module + ": " + from + " -> " + to + " (" + owner + ")");
                    }
                }
            });
        }
        assertEquals(List.of(), wrong, "plugins may use api only; api nothing but itself");
    }

    @Test
    void theLauncherCompilesAgainstNoPlugin() {
        List<String> wrong = new ArrayList<>();
        EDGES.get("launcher").forEach((from, targets) -> targets.stream()
                .filter(to -> PLUGINS.contains(OWNER.get(to)))
                .forEach(to -> wrong.add(from + " -> " + to)));
        assertEquals(List.of(), wrong, "the launcher finds plugins at run time (ServiceLoader) only");
    }

    /** Tarjan's strongly connected components. */
    static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                visit(v, graph, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private static void visit(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                              Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                              List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (w.equals(v)) {
                continue;
            }
            if (!index.containsKey(w)) {
                visit(w, graph, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }
}
