package org.prefopt.launcher.assembly;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.prefopt.api.plugin.Slot;
import org.prefopt.launcher.config.Overrides;
import org.prefopt.launcher.config.ResolvedComponent;
import org.prefopt.launcher.config.ResolvedRun;
import org.prefopt.launcher.config.RunConfigResolver;
import org.prefopt.launcher.plugin.ComponentRegistry;

/**
 * Wires a validated run into one Guice injector ({@code requireExplicitBindings}, {@code disableCircularProxies})
 * holding only the chosen components, each in a private environment (see {@link ComponentModule}).
 */
public final class Assembler {

    private Assembler() {
    }

    /**
     * @param stage {@link Stage#PRODUCTION} creates every component now; {@link Stage#TOOL} only checks the wiring
     *              (every injected type is bound) without creating anything, for {@code prefopt validate}
     */
    public static RunAssembly assemble(ResolvedRun run, Stage stage) {
        return assemble(run, stage, "the run");
    }

    /** @param what what is being assembled, for the error message: "the run", "the model", ... */
    public static RunAssembly assemble(ResolvedRun run, Stage stage, String what) {
        Map<Slot<?>, String> topLevel = new LinkedHashMap<>();
        for (ResolvedComponent c : run.components()) {
            if (!c.slot().multiple() && c.path().equals(c.slot().key())) {
                topLevel.put(c.slot(), c.path());
            }
        }
        List<Module> modules = new ArrayList<>();
        modules.add(binder -> {
            binder.requireExplicitBindings();
            binder.disableCircularProxies();
        });
        for (ResolvedComponent c : run.components()) {
            modules.add(new ComponentModule<>(c, topLevel));
        }
        try {
            Injector injector = Guice.createInjector(stage, modules);
            return new RunAssembly(run, injector, stage);
        } catch (CreationException e) {
            List<String> messages = new ArrayList<>();
            Set<String> causes = new HashSet<>();
            boolean configuration = true;
            for (Message m : e.getErrorMessages()) {
                Throwable cause = m.getCause();
                // one failure reaches Guice through every key bound to it (the component and its exposed name):
                // report it once
                if (!causes.add(cause == null ? m.getMessage() : String.valueOf(cause))) {
                    continue;
                }
                messages.add(m.getMessage());
                if (cause != null && !(cause instanceof ConfigException) && !(cause instanceof IllegalArgumentException)) {
                    configuration = false;
                }
            }
            throw new AssemblyException(what, messages, configuration, e);
        }
    }

    /**
     * Creates one component on its own, e.g. for {@code prefopt score --reward math-answer} or
     * {@code prefopt data stats --dataset gsm8k --path f}. The options go through the same validation as a run
     * file's (messages name them as {@code command line --<key>}); a policy gets {@code backend { type = auto }}.
     *
     * @param options option name to value; values are parsed as HOCON like {@code -o} values
     */
    public static <T> Standalone<T> standalone(ComponentRegistry registry, Slot<T> slot, String type,
                                               Map<String, String> options) {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("type", ConfigValueFactory.fromAnyRef(type, "command line: " + slot.key() + " type"));
        for (Map.Entry<String, String> e : options.entrySet()) {
            ConfigValue value = Overrides.parseValue(e.getValue(), "command line --" + e.getKey());
            section.put(e.getKey(), value);
        }
        // Option names may be paths (lora.rank): build nested sections as a parsed config would.
        com.typesafe.config.Config sectionConfig = ConfigFactory.empty();
        for (Map.Entry<String, Object> e : section.entrySet()) {
            sectionConfig = sectionConfig.withValue(e.getKey(), (ConfigValue) e.getValue());
        }
        Object value = slot.multiple() ? List.of(sectionConfig.root()) : sectionConfig.root();
        com.typesafe.config.Config raw = ConfigValueFactory.fromMap(Map.of(slot.key(), value), "command line").toConfig();
        ResolvedRun run = new RunConfigResolver(registry).resolve(raw, slot.key() + "-" + type);
        RunAssembly assembly = assemble(run, Stage.PRODUCTION, slot.key() + " '" + type + "'");
        String path = slot.multiple() ? slot.key() + ".0" : slot.key();
        return new Standalone<>(assembly, assembly.component(slot, path));
    }
}
