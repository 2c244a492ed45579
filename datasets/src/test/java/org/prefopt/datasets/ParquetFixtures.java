package org.prefopt.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.luben.zstd.Zstd;
import io.airlift.compress.lz4.Lz4Compressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.prefopt.datasets.io.JsonlSource;
import org.xerial.snappy.Snappy;

/**
 * Parquet fixtures written by the tests with parquet-java's own writer ({@link ExampleParquetWriter}), and the same
 * records as JSONL, to read both ways and compare.
 */
final class ParquetFixtures {

    private ParquetFixtures() {
    }

    static MessageType schema(String text) {
        return MessageTypeParser.parseMessageType(text);
    }

    /** Writes {@code rows} with a row group every {@code rowsPerGroup} rows, in version-1 data pages. */
    static Path write(Path file, MessageType schema, CompressionCodecName codec, int rowsPerGroup,
                      Iterable<Group> rows) {
        return write(file, schema, codec, rowsPerGroup, rows, WriterVersion.PARQUET_1_0);
    }

    static Path write(Path file, MessageType schema, CompressionCodecName codec, int rowsPerGroup,
                      Iterable<Group> rows, WriterVersion pages) {
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withWriterVersion(pages)
                .withConf(new PlainParquetConfiguration())
                .withType(schema)
                .withCompressionCodec(codec)
                .withCodecFactory(new NativeCompressors())
                .withRowGroupRowCountLimit(rowsPerGroup)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (Group g : rows) {
                w.write(g);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Flat records (string, int, long, double, boolean or byte[] values; null: no value) as rows of a schema. */
    static List<Group> rows(MessageType schema, List<Map<String, Object>> records) {
        SimpleGroupFactory factory = new SimpleGroupFactory(schema);
        return records.stream().map(r -> {
            Group g = factory.newGroup();
            r.forEach((k, v) -> {
                if (v instanceof String s) {
                    g.append(k, s);
                } else if (v instanceof Integer i) {
                    g.append(k, i);
                } else if (v instanceof Long l) {
                    g.append(k, l);
                } else if (v instanceof Double d) {
                    g.append(k, d);
                } else if (v instanceof Boolean b) {
                    g.append(k, b);
                } else if (v instanceof byte[] bytes) {
                    g.append(k, Binary.fromConstantByteArray(bytes));
                } else if (v != null) {
                    throw new IllegalArgumentException(k + ": " + v.getClass());
                }
            });
            return g;
        }).toList();
    }

    /** The same records as JSONL lines (a null value is written as JSON null). */
    static Path writeJsonl(Path dir, String name, List<Map<String, Object>> records) {
        return Fixtures.write(dir, name, records.stream().map(r -> {
            try {
                return JsonlSource.MAPPER.writeValueAsString(r);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }).toArray(String[]::new));
    }

    /**
     * Compresses pages with the native libraries parquet-java uses by default (snappy-java, zstd-jni) and the JDK's
     * gzip: implementations independent of the aircompressor decoders the reader uses (lz4-raw excepted). Any other
     * codec name is written uncompressed under that name, to make files the reader must refuse.
     */
    static final class NativeCompressors implements CompressionCodecFactory {

        @Override
        public BytesInputCompressor getCompressor(CompressionCodecName codec) {
            return new BytesInputCompressor() {
                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                    bytes.writeAllTo(buffer);
                    byte[] in = buffer.toByteArray();
                    return BytesInput.from(switch (codec) {
                        case SNAPPY -> Snappy.compress(in);
                        case ZSTD -> Zstd.compress(in);
                        case GZIP -> gzip(in);
                        // No second LZ4 implementation on the class path: the reader's own library writes it.
                        case LZ4_RAW -> lz4(in);
                        default -> in;
                    });
                }

                @Override
                public CompressionCodecName getCodecName() {
                    return codec;
                }

                @Override
                public void release() {
                }
            };
        }

        private static byte[] lz4(byte[] in) {
            Lz4Compressor c = new Lz4Compressor();
            byte[] out = new byte[c.maxCompressedLength(in.length)];
            return java.util.Arrays.copyOf(out, c.compress(in, 0, in.length, out, 0, out.length));
        }

        private static byte[] gzip(byte[] in) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(in);
            }
            return out.toByteArray();
        }

        @Override
        public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
            throw new UnsupportedOperationException("writing only");
        }

        @Override
        public void release() {
        }
    }
}
