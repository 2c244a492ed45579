package org.prefopt.datasets.math;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.prefopt.api.data.DataFormatException;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.files.RecordFileDataset;
import org.prefopt.datasets.files.ShardSet;
import org.prefopt.datasets.io.BadRecordException;
import org.prefopt.datasets.io.BadRecordPolicy;
import org.prefopt.datasets.io.BadRecords;
import org.prefopt.datasets.io.JsonlSource;
import org.prefopt.datasets.io.RecordFormat;

/**
 * MATH from a JSONL or Parquet file, a set of them ({@link ShardSet}), or the original release's directory tree
 * ({@code test/algebra/1.json}, one JSON object per file). In the tree each file is read on its own, in sorted path
 * order, and its id is its path relative to the parent of the given directory (e.g. {@code test/algebra/1.json}, the
 * form of MATH's {@code unique_id}).
 *
 * <p>A directory is the tree unless {@link ShardSet#isShardDirectory} holds: it directly holds {@code *.parquet} or
 * {@code *.jsonl} files and has no sub-directory (hidden ones aside); then it is a set of shards, as for the other
 * file datasets.
 */
public final class MathDataset extends RecordFileDataset {

    private final BadRecordPolicy policy;
    private final MathRecords parser;

    /** @param format the format of every file, or null for {@code auto}; the tree is always JSON files */
    public MathDataset(Path path, RecordFormat format, BadRecordPolicy policy) {
        this(path, format, policy, new MathRecords());
    }

    /** The format of each file chosen by its name ({@code .parquet} or JSONL). */
    public MathDataset(Path path, BadRecordPolicy policy) {
        this(path, null, policy);
    }

    private MathDataset(Path path, RecordFormat format, BadRecordPolicy policy, MathRecords parser) {
        super("math", path, format, policy, parser);
        this.policy = policy;
        this.parser = parser;
    }

    /** Whether {@code path} is read as the directory tree of JSON files (see the class comment). */
    public static boolean isTree(Path path) {
        return Files.isDirectory(path) && !ShardSet.isShardDirectory(path);
    }

    @Override
    public Stream<Example> examples(Consumer<DataIssue> skipped) {
        return isTree(path()) ? tree(skipped) : super.examples(skipped);
    }

    private Stream<Example> tree(Consumer<DataIssue> skipped) {
        Path path = path();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(path)) {
            // Only the paths are held, never the contents.
            files = walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json"))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new DataFormatException(new DataIssue(path.toString(), 0, "cannot list directory: " + e), e);
        }
        if (files.isEmpty()) {
            // Shard files beside sub-directories: the tree was chosen, but the files may be what was meant.
            String hint = ShardSet.holdsShardFiles(path) ? "; it holds .parquet or .jsonl files, but also"
                    + " sub-directories, so it is read as the tree: name the files with a pattern such as "
                    + path.resolve("*.parquet").toAbsolutePath() + " or *.jsonl" : "";
            throw new DataFormatException(new DataIssue(path.toString(), 0,
                    "directory holds no .json files (expected the MATH tree, e.g. test/algebra/1.json" + hint + ")"));
        }
        Path base = path.toAbsolutePath().getParent() == null ? path.toAbsolutePath()
                : path.toAbsolutePath().getParent();
        return files.stream().map(f -> read(f, base, skipped)).filter(Objects::nonNull);
    }

    private Example read(Path file, Path base, Consumer<DataIssue> skipped) {
        // A file per record: records are not numbered, the file name is the location.
        BadRecords bad = new BadRecords(file.toString(), policy, skipped, null);
        String id = base.relativize(file.toAbsolutePath()).toString().replace('\\', '/');
        try {
            byte[] bytes = Files.readAllBytes(file); // one problem, a few KiB
            if (bytes.length == 0) {
                throw new BadRecordException("file is empty");
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new BadRecordException("not valid UTF-8 (re-encode the file as UTF-8)");
            }
            JsonNode node;
            try {
                node = JsonlSource.MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw new BadRecordException("invalid JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new BadRecordException("expected a JSON object");
            }
            return parser.parse(node, id, file.toString());
        } catch (BadRecordException e) {
            bad.report(0, e.getMessage(), null);
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
