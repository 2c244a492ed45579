package org.prefopt.datasets.io.parquet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.prefopt.api.data.DataFormatException;
import org.prefopt.api.data.DataIssue;
import org.prefopt.api.data.Example;
import org.prefopt.datasets.io.BadRecordException;
import org.prefopt.datasets.io.BadRecordPolicy;
import org.prefopt.datasets.io.BadRecords;
import org.prefopt.datasets.io.DataFiles;
import org.prefopt.datasets.io.RecordFormat;
import org.prefopt.datasets.io.RecordParser;
import org.prefopt.datasets.io.RecordSource;
import org.prefopt.datasets.io.SkippingIterator;

/**
 * Streams the rows of a Parquet file (a Hugging Face {@code datasets} export, say) through a {@link RecordParser},
 * each row as the JSON object a JSONL line would be. Holds one row group's column chunks and one row at a time.
 * Rows are numbered from 1 across row groups, like lines.
 *
 * <p>File-level problems fail whatever the bad-record policy, before any row is read: not a Parquet file, a
 * damaged footer, a codec or a column type that cannot be read, a column the parser needs that the file lacks,
 * no rows.
 */
public final class ParquetSource implements RecordSource {

    private final Path path;
    private final String file;
    private final BadRecordPolicy policy;
    private final RecordParser parser;

    public ParquetSource(Path path, BadRecordPolicy policy, RecordParser parser) {
        this.path = path;
        this.file = path.toString();
        this.policy = policy;
        this.parser = parser;
    }

    /** Why the file cannot be read as Parquet (missing, a directory, no Parquet magic at both ends), or null. */
    public static String problemWith(Path path) {
        String problem = DataFiles.problemWith(path, "a Parquet file");
        if (problem != null) {
            return problem;
        }
        int magic = DataFiles.PARQUET_MAGIC_LENGTH;
        byte[] head = new byte[magic];
        byte[] tail = new byte[magic];
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            // The smallest Parquet file: magic, a footer length, magic.
            if (size >= 2L * magic + 4) {
                ch.read(ByteBuffer.wrap(head), 0);
                ch.read(ByteBuffer.wrap(tail), size - magic);
            }
        } catch (IOException e) {
            return "cannot read " + path.toAbsolutePath() + ": " + e.getMessage();
        }
        if (DataFiles.isParquetMagic(head) && DataFiles.isParquetMagic(tail)) {
            return null;
        }
        String hint = head[0] == '{' ? "; it looks like JSONL: name it *.jsonl, or set format = jsonl or auto"
                : DataFiles.isParquetMagic(head) ? "; it starts like one, so it may be cut short: download it again"
                : "";
        return "is not a Parquet file: " + path.toAbsolutePath()
                + " (a Parquet file starts and ends with the bytes PAR1" + hint + ")";
    }

    @Override
    public Stream<Example> stream(Consumer<DataIssue> skipped) {
        String problem = problemWith(path);
        if (problem != null) {
            throw fileError(0, problem, null);
        }
        ParquetFileReader reader = open();
        try {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            checkCodecs(reader.getFooter().getBlocks());
            checkColumns(schema);
            JsonRowMaterializer rows;
            try {
                rows = new JsonRowMaterializer(schema);
            } catch (UnsupportedColumnException e) {
                throw fileError(0, e.getMessage(), null);
            }
            if (reader.getRecordCount() == 0) {
                throw fileError(0, "file is empty: it holds no rows", null);
            }
            MessageColumnIO columns = new ColumnIOFactory().getColumnIO(schema);
            RowIterator it = new RowIterator(reader, columns, rows,
                    new BadRecords(file, policy, skipped, RecordFormat.PARQUET));
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it,
                    Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(it::close);
        } catch (RuntimeException e) {
            closeQuietly(reader);
            throw e;
        }
    }

    private ParquetFileReader open() {
        // A plain configuration and pure-Java codecs: no Hadoop Configuration, FileSystem or codec is created.
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(new PureJavaCodecs())
                .build();
        try {
            return ParquetFileReader.open(new LocalInputFile(path), options);
        } catch (IOException | RuntimeException e) {
            throw fileError(0, "cannot read the Parquet footer (the file's metadata): " + e.getMessage()
                    + " (the file may be damaged or cut short: download it again)", e);
        }
    }

    private void checkCodecs(List<BlockMetaData> blocks) {
        Set<CompressionCodecName> unsupported = new TreeSet<>();
        for (BlockMetaData block : blocks) {
            for (ColumnChunkMetaData column : block.getColumns()) {
                if (!PureJavaCodecs.SUPPORTED.contains(column.getCodec())) {
                    unsupported.add(column.getCodec());
                }
            }
        }
        if (!unsupported.isEmpty()) {
            throw fileError(0, "compressed with " + unsupported + ", which prefopt cannot decompress (it reads "
                    + PureJavaCodecs.SUPPORTED + "); write the file again with one of those, e.g. pyarrow's"
                    + " pq.write_table(table, path, compression='snappy')", null);
        }
    }

    /** Every field the parser needs must be a column: otherwise every row would be bad, for one reason. */
    private void checkColumns(MessageType schema) {
        Set<String> present = new LinkedHashSet<>();
        for (Type field : schema.getFields()) {
            present.add(field.getName());
        }
        List<String> missing = parser.requiredFields().stream().filter(f -> !present.contains(f)).toList();
        if (!missing.isEmpty()) {
            String names = String.join(", ", missing.stream().map(m -> "'" + m + "'").toList());
            throw fileError(0, "has no column" + (missing.size() > 1 ? "s " : " ") + names + " (its columns: "
                    + present + "; this dataset type needs " + parser.requiredFields() + "): is it the right file"
                    + " for this dataset type? (type jsonl: set its *-field options to the file's column names)",
                    null);
        }
    }

    private DataFormatException fileError(long row, String reason, Throwable cause) {
        return new DataFormatException(new DataIssue(file, row, reason), cause);
    }

    private static void closeQuietly(ParquetFileReader reader) {
        try {
            reader.close();
        } catch (IOException | RuntimeException e) {
            // Already failing with the more useful error.
        }
    }

    /** Row group by row group, row by row; each row parsed or reported bad. */
    private final class RowIterator extends SkippingIterator<Example> {
        private final ParquetFileReader reader;
        private final MessageColumnIO columns;
        private final JsonRowMaterializer rows;
        private final BadRecords bad;
        private final String fileName = path.getFileName().toString();
        private PageReadStore group;
        private RecordReader<ObjectNode> records;
        private long leftInGroup;
        private long row;

        RowIterator(ParquetFileReader reader, MessageColumnIO columns, JsonRowMaterializer rows, BadRecords bad) {
            this.reader = reader;
            this.columns = columns;
            this.rows = rows;
            this.bad = bad;
        }

        /** Reads one row: its example, or null when there is none (skipped, or the end). */
        @Override
        protected Example readOne() {
            if (leftInGroup == 0 && !nextGroup()) {
                end();
                return null;
            }
            row++;
            leftInGroup--;
            ObjectNode record;
            try {
                record = records.read();
            } catch (RuntimeException e) {
                // The column readers are now out of step: no later row can be trusted, whatever the policy.
                throw fileError(row, "cannot decode row " + row + ": " + e.getMessage()
                        + (e.getCause() != null ? ": " + e.getCause().getMessage() : "")
                        + " (the file may be damaged: download it again)", e);
            }
            String problem = rows.takeProblem();
            if (problem != null) {
                bad.report(row, problem, null);
                return null;
            }
            try {
                return parser.parse(record, fileName, file + ":" + row, row);
            } catch (BadRecordException e) {
                bad.report(row, e.getMessage(), null);
                return null;
            }
        }

        /** Moves to the next row group with rows; false at the end of the file. */
        private boolean nextGroup() {
            closeGroup();
            try {
                group = reader.readNextRowGroup();
            } catch (IOException | RuntimeException e) {
                throw fileError(row + 1, "cannot read the row group holding row " + (row + 1) + ": "
                        + e.getMessage() + " (the file may be damaged: download it again)", e);
            }
            if (group == null) {
                return false;
            }
            records = columns.getRecordReader(group, rows);
            leftInGroup = group.getRowCount();
            return leftInGroup > 0 || nextGroup();
        }

        private void closeGroup() {
            if (group != null) {
                group.close();
                group = null;
            }
        }

        void close() {
            closeGroup();
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
