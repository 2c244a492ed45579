package org.prefopt.datasets.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The file format of a record file: one JSON object per line, or a Parquet table with one record per row. */
public enum RecordFormat {
    JSONL,
    PARQUET;

    /** The datasets' option that picks the format. */
    public static final String OPTION = "format";
    /** Its values; {@code auto} chooses by file name. */
    public static final List<String> CHOICES = List.of("auto", "jsonl", "parquet");

    /**
     * The format named by the option, or for {@code auto} the one the file's name implies: {@code .parquet}
     * (in any letter case, as Hugging Face names its exports {@code train-00000-of-00001.parquet}) is Parquet,
     * anything else JSONL.
     */
    public static RecordFormat of(String option, Path path) {
        return orByName(fixed(option), path);
    }

    /**
     * The format the option fixes for every file, or null for {@code auto}, where each file's name decides (a set
     * of shards may name its files either way; see {@link ShardSet}).
     */
    public static RecordFormat fixed(String option) {
        return switch (option.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> null;
            case "jsonl" -> JSONL;
            case "parquet" -> PARQUET;
            default -> throw new IllegalArgumentException(OPTION + " must be one of " + CHOICES + " (got '" + option
                    + "')");
        };
    }

    /** {@code fixed}, or when it is null ({@code auto}) the format the file's name implies. */
    public static RecordFormat orByName(RecordFormat fixed, Path file) {
        return fixed != null ? fixed : byName(file);
    }

    public static RecordFormat byName(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".parquet") ? PARQUET : JSONL;
    }
}
