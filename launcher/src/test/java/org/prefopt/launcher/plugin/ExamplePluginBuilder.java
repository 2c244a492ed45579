package org.prefopt.launcher.plugin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds docs/example-plugin at test time with javax.tools: its library into {@code textstats.jar} and the plugin
 * into {@code constant-reward.jar}, both in {@code <pluginsDir>/constant-reward/}, as a user would install them.
 */
final class ExamplePluginBuilder {

    static final Path SOURCES = Path.of("..", "docs", "example-plugin");

    private ExamplePluginBuilder() {
    }

    /** @return the plugin's directory inside {@code pluginsDir} */
    static Path build(Path pluginsDir, Path work) throws IOException {
        Path dir = Files.createDirectories(pluginsDir.resolve("constant-reward"));
        Path libClasses = compile(SOURCES.resolve("lib/src/main/java"), work.resolve("lib-classes"), List.of());
        Path libJar = jar(libClasses, null, dir.resolve("textstats.jar"));
        Path pluginClasses = compile(SOURCES.resolve("plugin/src/main/java"), work.resolve("plugin-classes"),
                List.of(libJar));
        jar(pluginClasses, SOURCES.resolve("plugin/src/main/resources"), dir.resolve("constant-reward.jar"));
        return dir;
    }

    private static Path compile(Path sourceRoot, Path out, List<Path> extra) throws IOException {
        Files.createDirectories(out);
        List<String> sources;
        try (Stream<Path> s = Files.walk(sourceRoot)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        // Only the API and the libraries its signatures use: what a plugin compiles against (provided scope).
        List<String> classPath = new ArrayList<>();
        for (Class<?> c : List.of(org.prefopt.api.plugin.Plugin.class, com.google.inject.Module.class,
                com.typesafe.config.Config.class, jakarta.inject.Provider.class)) {
            classPath.add(ClassLocations.location(c));
        }
        extra.forEach(p -> classPath.add(p.toString()));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", out.toString(), "-classpath",
                String.join(java.io.File.pathSeparator, classPath)));
        args.addAll(sources);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        int rc = javac.getTask(errors, null, null, args.subList(0, 6), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjectsFromStrings(sources)).call() ? 0 : 1;
        assertTrue(rc == 0, () -> "example plugin does not compile:\n" + errors);
        return out;
    }

    private static Path jar(Path classes, Path resources, Path jar) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
            for (Path root : resources == null ? List.of(classes) : List.of(classes, resources)) {
                List<Path> files;
                try (Stream<Path> s = Files.walk(root)) {
                    files = s.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    out.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
        }
        return jar;
    }
}
