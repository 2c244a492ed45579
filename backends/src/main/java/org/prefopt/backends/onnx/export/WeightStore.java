package org.prefopt.backends.onnx.export;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where weight bytes go: inline in the tensor ({@code raw_data}), or appended to one external data file that the
 * tensor points at (ONNX's {@code data_location = EXTERNAL} with {@code location}, {@code offset}, {@code length}).
 * A protobuf message cannot exceed 2 GB, so larger models must use the external form.
 */
abstract class WeightStore implements AutoCloseable {

    abstract void store(TensorProto.Builder tensor, ByteBuffer littleEndian);

    @Override
    public void close() {
    }

    static WeightStore inline() {
        return new WeightStore() {
            @Override
            void store(TensorProto.Builder tensor, ByteBuffer littleEndian) {
                tensor.setRawData(ByteString.copyFrom(littleEndian.duplicate()));
            }
        };
    }

    /** Appends to {@code file}; tensors name it by its file name, relative to the model file's directory. */
    static WeightStore external(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
        String location = file.getFileName().toString();
        return new WeightStore() {
            @Override
            void store(TensorProto.Builder tensor, ByteBuffer littleEndian) {
                try {
                    long offset = channel.position();
                    ByteBuffer b = littleEndian.duplicate();
                    long length = b.remaining();
                    while (b.hasRemaining()) {
                        channel.write(b);
                    }
                    tensor.setDataLocation(TensorProto.DataLocation.EXTERNAL)
                            .addExternalData(entry("location", location))
                            .addExternalData(entry("offset", Long.toString(offset)))
                            .addExternalData(entry("length", Long.toString(length)));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + file, e);
                }
            }

            @Override
            public void close() {
                try {
                    channel.close();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot close " + file, e);
                }
            }
        };
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
