package org.prefopt.datasets.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.prefopt.api.data.DataFormatException;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.io.BadRecordPolicy;
import org.prefopt.datasets.io.RecordFormat;
import org.prefopt.datasets.io.RecordParser;
import org.prefopt.datasets.io.RecordSource;
import org.prefopt.datasets.io.SkippingIterator;

/**
 * The files a file dataset's {@code path} names, read one after another as one dataset: Hugging Face exports are
 * sharded ({@code data/train-00000-of-00003.parquet}, ...). The rules, in this order:
 * <ol>
 * <li>a directory: the {@code *.parquet} and {@code *.jsonl} files directly in it (the ending in any letter case;
 *     names starting with {@code .} and sub-directories are passed over). Refused when it holds none, and when the
 *     names of its files name more than one split ({@code <split>-<i>-of-<n>.<ext>}, or {@code <split>.<ext>} for
 *     the splits {@link #SPLITS}): reading {@code train} and {@code test} as one dataset is never meant;</li>
 * <li>a path that exists, or whose last segment has none of the pattern characters {@code * ? [ {}: that one
 *     file (a missing one is reported by the file's own check, {@link RecordFiles#problemWith}). A pattern
 *     character in another segment is refused;</li>
 * <li>otherwise the last segment is a glob ({@code glob:} {@link PathMatcher}) matched against the names of the
 *     regular files in its directory (the directory itself is taken literally). Refused when nothing matches.</li>
 * </ol>
 * The files are read in lexicographic order of their names. Under {@code format = auto} each file's name decides its
 * format ({@link RecordFormat#byName}) and the files of a set must agree; under an explicit format every file is
 * read in that format. Records keep the numbering and ids of their own file ({@code train-00001-of-00003.parquet:17}),
 * so ids are unique across shards, and bad records are reported with their shard's name.
 *
 * @param path   the dataset's path option
 * @param fixed  the format of every file, or null for {@code auto} (each file's name decides)
 * @param policy what a bad record does
 * @param parser turns each record into an example
 */
public record ShardSet(Path path, RecordFormat fixed, BadRecordPolicy policy, RecordParser parser)
        implements RecordSource {

    /** The names taken for a split when a file is named {@code <split>.jsonl} or {@code <split>.parquet}. */
    public static final List<String> SPLITS = List.of("train", "test", "validation", "valid", "val", "dev");

    private static final Pattern SPLIT_OF_NAME = Pattern.compile("(?i)(?:(.+)-\\d+-of-\\d+|("
            + String.join("|", SPLITS) + "))\\.(?:parquet|jsonl)");
    private static final String PATTERN_CHARACTERS = "*?[{";
    private static final int NAMES_SHOWN = 3;

    /**
     * The files {@code path} names, in reading order, or why it names none (the problem text, as option
     * validation reports it after {@code path: }).
     */
    public record Resolution(Path path, List<Path> files, String problem) {

        /** The files, or the problem as a {@link DataFormatException} naming the path. */
        public List<Path> filesOrThrow() {
            if (problem != null) {
                throw new DataFormatException(new DataIssue(path.toString(), 0, problem));
            }
            return files;
        }
    }

    /** Applies the rules above. {@code fixed}: the format option's format, or null for {@code auto}. */
    public static Resolution resolve(Path path, RecordFormat fixed) {
        if (Files.isDirectory(path)) {
            return directory(path, fixed);
        }
        if (Files.exists(path)) {
            return new Resolution(path, List.of(path), null);
        }
        Path parent = path.getParent();
        if (parent != null && !Files.isDirectory(parent) && isPattern(parent.toString())) {
            return problem(path, "a pattern (" + PATTERN_CHARACTERS + ") may only be in the last part of the path, the"
                    + " part that names the files: " + path);
        }
        Path name = path.getFileName();
        if (name == null || !isPattern(name.toString())) {
            return new Resolution(path, List.of(path), null);
        }
        return glob(path, name.toString(), fixed);
    }

    /**
     * Whether a directory is unmistakably a set of shards: it directly holds {@code *.parquet} or {@code *.jsonl}
     * files and has no sub-directory (hidden ones, such as the {@code .cache} a Hugging Face download leaves, aside).
     * For a dataset type that gives a directory another meaning as well (MATH's tree of JSON files).
     */
    public static boolean isShardDirectory(Path dir) {
        return holdsShardFiles(dir) && !hasSubdirectory(dir);
    }

    /** Whether the directory directly holds a file the directory rule reads ({@code *.parquet}, {@code *.jsonl}). */
    public static boolean holdsShardFiles(Path dir) {
        try {
            return !list(dir, ShardSet::isShardFileName).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Stream<Example> stream(Consumer<DataIssue> skipped) {
        List<Path> files = resolve(path, fixed).filesOrThrow();
        if (files.size() == 1) {
            Path file = files.get(0);
            return RecordFiles.open(file, RecordFormat.orByName(fixed, file), policy, parser).stream(skipped);
        }
        // File-level problems of any shard fail before a record is read, as they do for one file.
        for (Path file : files) {
            String problem = RecordFiles.problemWith(file, RecordFormat.orByName(fixed, file));
            if (problem != null) {
                throw new DataFormatException(new DataIssue(file.toString(), 0, problem));
            }
        }
        ShardIterator it = new ShardIterator(files.iterator(), skipped);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(it::close);
    }

    // ---- the rules -----------------------------------------------------------------------------------------

    private static Resolution directory(Path dir, RecordFormat fixed) {
        String where = dir.toAbsolutePath().toString();
        Resolution listed = listed(dir, dir, ShardSet::isShardFileName, "directory holds no .parquet or .jsonl"
                + " files: " + where + " (a directory is read as the *.parquet or *.jsonl files directly in it"
                + subdirectoryHint(dir) + "; check the dataset's path option)");
        if (listed.problem() != null) {
            return listed;
        }
        TreeSet<String> splits = new TreeSet<>();
        for (Path f : listed.files()) {
            Matcher m = SPLIT_OF_NAME.matcher(f.getFileName().toString());
            if (m.matches()) {
                splits.add((m.group(1) != null ? m.group(1) : m.group(2)).toLowerCase(Locale.ROOT));
            }
        }
        if (splits.size() > 1) {
            String one = splits.contains("train") ? "train" : splits.first();
            return problem(dir, "directory holds more than one split (" + String.join(", ", splits) + "): " + where
                    + " (read one split with a pattern, e.g. " + dir.resolve(one + "*").toAbsolutePath() + ")");
        }
        return oneKind(listed, fixed, where + " holds",
                "name one kind with a pattern, e.g. " + dir.resolve("*.parquet").toAbsolutePath());
    }

    private static Resolution glob(Path path, String pattern, RecordFormat fixed) {
        Path dir = path.getParent() == null ? Path.of("") : path.getParent();
        String where = dir.toAbsolutePath().toString();
        if (!Files.isDirectory(dir)) {
            return problem(path, "directory not found: " + where + " (for the pattern '" + pattern + "'; check the"
                    + " dataset's path option)");
        }
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (PatternSyntaxException e) {
            return problem(path, "'" + pattern + "' is not a valid pattern: " + e.getDescription());
        }
        Resolution listed = listed(path, dir, matcher::matches, "no file matches '" + pattern + "' in " + where
                + " (check the dataset's path option)");
        return listed.problem() != null ? listed : oneKind(listed, fixed, "'" + pattern + "' in " + where + " matches",
                "narrow the pattern to one kind");
    }

    /** The files of {@code dir} whose names pass, as what {@code path} names; {@code none} when there are none. */
    private static Resolution listed(Path path, Path dir, Predicate<Path> name, String none) {
        List<Path> files;
        try {
            files = list(dir, name);
        } catch (IOException e) {
            return problem(path, "cannot list the directory " + dir.toAbsolutePath() + ": " + e.getMessage());
        }
        return files.isEmpty() ? problem(path, none) : new Resolution(path, List.copyOf(files), null);
    }

    /** Under {@code auto} the names decide each file's format, and one dataset is read in one. */
    private static Resolution oneKind(Resolution listed, RecordFormat fixed, String subject, String fix) {
        if (fixed != null) {
            return listed;
        }
        List<String> parquet = names(listed.files(), RecordFormat.PARQUET);
        List<String> jsonl = names(listed.files(), RecordFormat.JSONL);
        if (parquet.isEmpty() || jsonl.isEmpty()) {
            return listed;
        }
        return problem(listed.path(), subject + " both Parquet and JSONL files (Parquet: " + shown(parquet)
                + "; JSONL: " + shown(jsonl) + "): the shards of one dataset must be of one kind (with format = auto a"
                + " name ending in .parquet is Parquet, any other JSONL); " + fix);
    }

    private static Resolution problem(Path path, String problem) {
        return new Resolution(path, List.of(), problem);
    }

    private static List<String> names(List<Path> files, RecordFormat format) {
        return files.stream().filter(f -> RecordFormat.byName(f) == format).map(f -> f.getFileName().toString())
                .toList();
    }

    private static String shown(List<String> names) {
        return names.size() <= NAMES_SHOWN ? String.join(", ", names)
                : String.join(", ", names.subList(0, NAMES_SHOWN)) + ", ... (" + names.size() + " in all)";
    }

    private static String subdirectoryHint(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(ShardSet::isVisibleDirectory).map(p -> p.getFileName().toString()).sorted().findFirst()
                    .map(sub -> ", not in its sub-directories: point path at one, e.g. " + dir.resolve(sub)
                            .toAbsolutePath()).orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean hasSubdirectory(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(ShardSet::isVisibleDirectory);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isVisibleDirectory(Path p) {
        return !p.getFileName().toString().startsWith(".") && Files.isDirectory(p);
    }

    private static boolean isShardFileName(Path file) {
        String name = file.toString();
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (lower.endsWith(".parquet") || lower.endsWith(".jsonl"));
    }

    private static boolean isPattern(String segment) {
        return segment.chars().anyMatch(c -> PATTERN_CHARACTERS.indexOf(c) >= 0);
    }

    /** The regular files (links followed) directly in {@code dir} whose names pass, sorted by name. */
    private static List<Path> list(Path dir, Predicate<Path> name) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (name.test(p.getFileName()) && Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    // ---- reading -------------------------------------------------------------------------------------------

    /** One shard's stream open at a time, closed when its records are read; the next opened on demand. */
    private final class ShardIterator extends SkippingIterator<Example> {
        private final Iterator<Path> files;
        private final Consumer<DataIssue> skipped;
        private Stream<Example> open;
        private Iterator<Example> records;

        ShardIterator(Iterator<Path> files, Consumer<DataIssue> skipped) {
            this.files = files;
            this.skipped = skipped;
            openNext(); // the first shard opens now, as a single file does
        }

        @Override
        protected Example readOne() {
            if (records == null && !openNext()) {
                end();
                return null;
            }
            if (records.hasNext()) {
                return records.next();
            }
            close();
            return null;
        }

        private boolean openNext() {
            if (!files.hasNext()) {
                return false;
            }
            Path file = files.next();
            open = RecordFiles.open(file, RecordFormat.orByName(fixed, file), policy, parser).stream(skipped);
            records = open.iterator();
            return true;
        }

        void close() {
            Stream<Example> s = open;
            open = null;
            records = null;
            if (s != null) {
                s.close();
            }
        }
    }
}
