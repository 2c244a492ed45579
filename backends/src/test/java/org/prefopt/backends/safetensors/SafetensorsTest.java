package org.prefopt.backends.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @TempDir
    Path tmp;

    /** A file with the given raw header text and data bytes. */
    Path raw(String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = tmp.resolve("t" + System.nanoTime() + ".safetensors");
        Files.write(p, b.array());
        return p;
    }

    String error(Path p) {
        return assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(p).close()).getMessage();
    }

    @Test
    void roundTripsWithMetadata() {
        Map<String, TensorData> t = new LinkedHashMap<>();
        t.put("a", TensorData.ofFloats(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        t.put("b", new TensorData(TensorDType.BF16, new long[] {2}, ByteBuffer.wrap(new byte[] {0, 0x3f, 0, 0x40})));
        Path p = tmp.resolve("x.safetensors");
        SafetensorsWriter.write(p, t, Map.of("format", "pt"));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals("pt", f.metadata().get("format"));
            assertArrayEquals(new long[] {2, 3}, f.tensors().get("a").shape());
            float[] back = new float[6];
            f.read("a").data().asFloatBuffer().get(back);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, back);
            assertEquals(TensorDType.BF16, f.read("b").dtype());
        }
    }

    @Test
    void rejectsMalformedFilesWithClearErrors() throws Exception {
        Path tooShort = tmp.resolve("short.safetensors");
        Files.write(tooShort, new byte[] {1, 2, 3});
        assertTrue(error(tooShort).contains("too short"));

        Path hugeHeader = tmp.resolve("huge.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).putLong(0);
        Files.write(hugeHeader, b.array());
        assertTrue(error(hugeHeader).contains("header length"));

        assertTrue(error(raw("[1,2]", 0)).contains("JSON object"));
        assertTrue(error(raw("{not json", 0)).contains("not valid JSON"));
        assertTrue(error(raw("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8))
                .contains("unsupported dtype 'F64'"));
        assertTrue(error(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8))
                .contains("outside the data section"));
        assertTrue(error(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8))
                .contains("needs 12 bytes"));
        assertTrue(error(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8))
                .contains("overflows"));
        assertTrue(error(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,8]}}", 8))
                .contains("non-negative"));
        assertTrue(error(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8)).contains("data_offsets"));
    }

    @Test
    void readsShardedCheckpoints() throws Exception {
        Path dir = tmp.resolve("sharded");
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve("m-1.safetensors"),
                Map.of("x", TensorData.ofFloats(new long[] {1}, new float[] {7})), Map.of());
        SafetensorsWriter.write(dir.resolve("m-2.safetensors"),
                Map.of("y", TensorData.ofFloats(new long[] {1}, new float[] {8})), Map.of());
        Files.writeString(dir.resolve(CheckpointTensors.INDEX),
                "{\"metadata\":{},\"weight_map\":{\"x\":\"m-1.safetensors\",\"y\":\"m-2.safetensors\"}}");
        try (CheckpointTensors c = CheckpointTensors.open(dir)) {
            assertEquals(8f, c.read("y").data().getFloat(0));
            assertEquals(7f, c.read("x").data().getFloat(0));
        }
        Files.writeString(dir.resolve(CheckpointTensors.INDEX),
                "{\"weight_map\":{\"x\":\"../escape.safetensors\"}}");
        assertThrows(SafetensorsFormatException.class, () -> CheckpointTensors.open(dir));
        Files.writeString(dir.resolve(CheckpointTensors.INDEX), "{\"weight_map\":{\"z\":\"m-1.safetensors\"}}");
        String msg = assertThrows(SafetensorsFormatException.class, () -> CheckpointTensors.open(dir)).getMessage();
        assertTrue(msg.contains("does not contain"), msg);
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        Files.write(empty.resolve("pytorch_model.bin"), new byte[] {0});
        msg = assertThrows(SafetensorsFormatException.class, () -> CheckpointTensors.open(empty)).getMessage();
        assertTrue(msg.contains("pickle"), msg);
    }
}
