package org.prefopt.launcher.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.config.RunConfigResolver;
import org.prefopt.launcher.plugin.ComponentRegistry;
import org.prefopt.launcher.plugin.RegisteredComponent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code prefopt plugins}: every slot, every component, where it came from, its options and their defaults. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List every slot's components, where each came from, and its options with defaults"
                + " (<required> marks options without a default).")
final class PluginsCommand implements Callable<Integer> {

    @ParentCommand
    PrefoptCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--slot", paramLabel = "<slot>", description = "Only this slot (policy, backend, dataset, filter,"
            + " sampler, reward, algorithm).")
    String slot;

    @Option(names = "--run-sections", description = "Also list the run-level sections (run, prompt, generation,"
            + " eval, checkpoint, stages) with their defaults.")
    boolean runSections;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ComponentRegistry registry = parent.registry();
        List<Slot<?>> slots = Slot.values();
        if (slot != null) {
            slots = Slot.byKey(slot).<List<Slot<?>>>map(List::of).orElseThrow(() -> new UsageException("unknown slot '"
                    + slot + "'; slots: " + Slot.values().stream().map(Slot::key).toList()));
        }
        for (Slot<?> s : slots) {
            out.println(s.key() + (s.multiple() ? " (list)" : ""));
            List<RegisteredComponent> components = registry.of(s);
            if (components.isEmpty()) {
                out.println("  (none installed)");
            }
            for (RegisteredComponent c : components) {
                out.println("  " + c.name() + " - " + c.factory().description() + status(c, registry));
                out.println("      from " + c.origin() + " (plugin " + c.plugin().name() + ")");
                if (c.defaults() == null) {
                    out.println("      (no defaults in the plugin's reference.conf: cannot be configured)");
                } else {
                    printOptions(out, c.defaults().root(), "", "      ");
                }
            }
            out.println();
        }
        if (runSections) {
            out.println("run-level sections (launcher defaults)");
            Config defaults = new RunConfigResolver(registry).runDefaults();
            printOptions(out, defaults.root(), "", "  ");
            out.println();
        }
        for (String error : registry.loadErrors()) {
            spec.commandLine().getErr().println("error: " + error);
        }
        return registry.loadErrors().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static String status(RegisteredComponent c, ComponentRegistry registry) {
        StringBuilder sb = new StringBuilder();
        if (registry.lookup(c.slot(), c.name()).size() > 1) {
            sb.append(" [DUPLICATE name: also provided elsewhere; runs using it fail]");
        }
        if (c.slot().equals(Slot.BACKEND)) {
            boolean available;
            try {
                available = c.factory().isAvailable();
            } catch (RuntimeException | LinkageError e) {
                available = false;
            }
            sb.append(" [rank ").append(c.factory().rank()).append(available ? ", available]" : ", unavailable here]");
        }
        return sb.toString();
    }

    private static void printOptions(PrintWriter out, ConfigObject object, String prefix, String indent) {
        if (object.isEmpty() && prefix.isEmpty()) {
            out.println(indent + "(no options)");
        }
        for (String key : object.keySet().stream().sorted().toList()) {
            ConfigValue v = object.get(key);
            String path = prefix + key;
            if (v.valueType() == ConfigValueType.OBJECT && !((ConfigObject) v).isEmpty()) {
                printOptions(out, (ConfigObject) v, path + ".", indent);
            } else if (v.valueType() == ConfigValueType.NULL) {
                out.println(indent + path + " = <required>");
            } else {
                out.println(indent + path + " = " + v.render(ConfigRenderOptions.concise()));
            }
        }
    }

}
