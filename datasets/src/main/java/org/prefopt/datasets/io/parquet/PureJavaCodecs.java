package org.prefopt.datasets.io.parquet;

import io.airlift.compress.Decompressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Decompresses Parquet pages in pure Java: snappy, zstd and lz4-raw with aircompressor, gzip with the JDK.
 *
 * <p>parquet-java's default codec factory goes through Hadoop's codec classes, which need a Hadoop
 * {@code Configuration} (and with it much of Hadoop's dependency tree) plus the native snappy-java and zstd-jni.
 * This factory, handed to the reader through {@code ParquetReadOptions}, needs none of that. Reading only.
 */
final class PureJavaCodecs implements CompressionCodecFactory {

    /** The codecs this factory decompresses; the reader checks a file's codecs against it before reading. */
    static final Set<CompressionCodecName> SUPPORTED = EnumSet.of(CompressionCodecName.UNCOMPRESSED,
            CompressionCodecName.SNAPPY, CompressionCodecName.ZSTD, CompressionCodecName.GZIP,
            CompressionCodecName.LZ4_RAW);

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> new Identity();
            case SNAPPY -> block(codec, new SnappyDecompressor());
            case ZSTD -> block(codec, new ZstdDecompressor());
            case LZ4_RAW -> block(codec, new Lz4Decompressor());
            case GZIP -> new PageDecompressor(codec, (in, out) -> {
                try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(in))) {
                    int n = gz.readNBytes(out, 0, out.length);
                    // One byte more than the page header announced is as wrong as one byte less.
                    return gz.read() < 0 ? n : n + 1;
                }
            });
            default -> throw new UnsupportedOperationException("no decompressor for " + codec
                    + " (supported: " + SUPPORTED + ")");
        };
    }

    private static PageDecompressor block(CompressionCodecName codec, Decompressor d) {
        return new PageDecompressor(codec, (in, out) -> d.decompress(in, 0, in.length, out, 0, out.length));
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        throw new UnsupportedOperationException("prefopt only reads Parquet files");
    }

    @Override
    public void release() {
        // Nothing pooled: each decompressor is plain Java objects.
    }

    /** Decompresses {@code in} into {@code out}, whose length is the size the page header announced. */
    @FunctionalInterface
    private interface ArrayCodec {
        /** @return the number of bytes the data decompressed to */
        int decompress(byte[] in, byte[] out) throws IOException;
    }

    /** One page at a time, between byte arrays; the size is checked against the page header's. */
    private static final class PageDecompressor implements BytesInputDecompressor {
        private final CompressionCodecName codec;
        private final ArrayCodec arrays;

        PageDecompressor(CompressionCodecName codec, ArrayCodec arrays) {
            this.codec = codec;
            this.arrays = arrays;
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
            ByteArrayOutputStream in = new ByteArrayOutputStream(Math.toIntExact(bytes.size()));
            bytes.writeAllTo(in);
            return BytesInput.from(run(in.toByteArray(), decompressedSize));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
                throws IOException {
            byte[] in = new byte[compressedSize];
            input.get(in);
            output.put(run(in, decompressedSize));
        }

        private byte[] run(byte[] in, int size) throws IOException {
            byte[] out = new byte[size];
            int n;
            try {
                n = arrays.decompress(in, out);
            } catch (IOException | RuntimeException e) {
                // aircompressor reports damaged input with an unchecked MalformedInputException.
                throw new IOException(codec + " data is damaged: " + e.getMessage(), e);
            }
            if (n != size) {
                throw new IOException(codec + " page decompressed to " + n + " bytes, the page header says " + size);
            }
            return out;
        }

        @Override
        public void release() {
        }
    }

    /** Uncompressed pages pass through. */
    private static final class Identity implements BytesInputDecompressor {
        @Override
        public BytesInput decompress(BytesInput bytes, int decompressedSize) {
            return bytes;
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize) {
            ByteBuffer page = input.slice();
            page.limit(compressedSize);
            output.put(page);
            input.position(input.position() + compressedSize);
        }

        @Override
        public void release() {
        }
    }
}
