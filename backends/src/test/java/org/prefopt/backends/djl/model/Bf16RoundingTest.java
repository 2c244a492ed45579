package org.prefopt.backends.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.prefopt.backends.safetensors.TensorDType;
import org.prefopt.backends.safetensors.TensorData;

/**
 * Narrowing float32 to bfloat16 for export rounds half to even, as torch's {@code .to(torch.bfloat16)} does; the
 * expected bit patterns are worked out by hand from the float32 bits.
 */
class Bf16RoundingTest {

    @Test
    void roundsToNearestEvenAndKeepsNaN() {
        int[] in = {
                0x3F800000, // 1.0: exact
                0x3F808000, // halfway between 0x3F80 and 0x3F81: to the even 0x3F80
                0x3F818000, // halfway between 0x3F81 and 0x3F82: to the even 0x3F82
                0x3F808001, // just above halfway: up
                0x3F807FFF, // just below halfway: down
                0xBF808001, // negative, above halfway in magnitude: away from zero
                0x7F7FFFFF, // largest float: rounds to infinity, as torch does
                0x7FC00000, // NaN stays NaN
        };
        int[] want = {0x3F80, 0x3F80, 0x3F82, 0x3F81, 0x3F80, 0xBF81, 0x7F80, 0x7FC0};
        ByteBuffer b = ByteBuffer.allocate(in.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int bits : in) {
            b.putInt(bits);
        }
        b.flip();
        TensorData out = NdTensors.f32ToBf16(new TensorData(TensorDType.F32, new long[] {in.length}, b));
        assertEquals(TensorDType.BF16, out.dtype());
        ByteBuffer o = out.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < in.length; i++) {
            assertEquals(want[i], o.getShort() & 0xffff, "element " + i + " (" + Integer.toHexString(in[i]) + ")");
        }
        // and back: widening the rounded values is exact
        TensorData back = NdTensors.bf16ToF32(out);
        assertEquals(1.0f, back.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).getFloat(0));
    }
}
