package org.prefopt.datasets.filter;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.prefopt.api.data.DatasetFilter;
import org.prefopt.api.data.Example;

/**
 * Keeps examples whose id is listed in the include file (when given) and not in the exclude file (when given).
 * Files hold one id per line; blank lines and lines starting with {@code #} are ignored; ids are compared exactly
 * after trimming.
 */
public final class IdsFilter implements DatasetFilter {

    private final Path includeFile;
    private final Path excludeFile;
    private final Set<String> include;
    private final Set<String> exclude;

    public IdsFilter(Path includeFile, Path excludeFile) {
        if (includeFile == null && excludeFile == null) {
            throw new IllegalArgumentException("ids filter: set include-file, exclude-file or both");
        }
        this.includeFile = includeFile;
        this.excludeFile = excludeFile;
        this.include = includeFile == null ? null : read(includeFile, "include-file");
        this.exclude = excludeFile == null ? Set.of() : read(excludeFile, "exclude-file");
    }

    static Set<String> read(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("ids filter: " + option + " not found: " + file.toAbsolutePath());
        }
        Set<String> ids = new HashSet<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String id = line.strip();
                if (!id.isEmpty() && !id.startsWith("#")) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("ids filter: cannot read " + option + " " + file + ": " + e, e);
        }
        return ids;
    }

    @Override
    public String describe() {
        return "ids[" + (includeFile == null ? "" : "include=" + includeFile.getFileName() + "(" + include.size() + ")")
                + (excludeFile == null ? "" : (includeFile == null ? "" : ", ") + "exclude="
                + excludeFile.getFileName() + "(" + exclude.size() + ")") + "]";
    }

    @Override
    public List<Example> apply(List<Example> examples) {
        List<Example> out = new ArrayList<>();
        for (Example e : examples) {
            if ((include == null || include.contains(e.id())) && !exclude.contains(e.id())) {
                out.add(e);
            }
        }
        return out;
    }
}
