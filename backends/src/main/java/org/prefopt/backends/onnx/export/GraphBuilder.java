package org.prefopt.backends.onnx.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds an ONNX {@link GraphProto} through ONNX's own protobuf classes: nodes with fresh intermediate names, small
 * constants as initializers, and typed graph inputs and outputs whose dimensions are either fixed or named (symbolic).
 * Large weights go through a {@link WeightStore}, which decides whether they are stored inline or as external data.
 */
final class GraphBuilder {

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final WeightStore weights;
    private int counter;

    GraphBuilder(String name, WeightStore weights) {
        graph.setName(name);
        this.weights = weights;
    }

    GraphProto build() {
        return graph.build();
    }

    /** Adds node {@code type} with fresh output name. */
    String op(String type, List<AttributeProto> attributes, String... inputs) {
        return opNamed(type.toLowerCase() + "_" + (counter++), type, attributes, inputs);
    }

    String op(String type, String... inputs) {
        return op(type, List.of(), inputs);
    }

    /** Adds node {@code type} whose output is {@code output} (a graph output's name, for instance). */
    String opNamed(String output, String type, List<AttributeProto> attributes, String... inputs) {
        graph.addNode(NodeProto.newBuilder().setOpType(type).setName("n" + (counter++) + "_" + type)
                .addAllInput(Arrays.asList(inputs)).addOutput(output).addAllAttribute(attributes));
        return output;
    }

    /** Adds node {@code type} of operator set {@code domain} (e.g. {@code com.microsoft}) with several outputs. */
    void opInDomain(String domain, String type, List<AttributeProto> attributes, List<String> outputs,
                    String... inputs) {
        graph.addNode(NodeProto.newBuilder().setOpType(type).setDomain(domain).setName("n" + (counter++) + "_" + type)
                .addAllInput(Arrays.asList(inputs)).addAllOutput(outputs).addAllAttribute(attributes));
    }

    /** A 1-D int64 constant. */
    String ints(long... values) {
        return constant(TensorProto.DataType.INT64_VALUE, new long[] {values.length}, longBytes(values));
    }

    /** A 0-D (scalar) int64 constant. */
    String scalar(long value) {
        return constant(TensorProto.DataType.INT64_VALUE, new long[0], longBytes(value));
    }

    /** A 0-D (scalar) float constant. */
    String scalar(float value) {
        return floats(new long[0], value);
    }

    /** A float32 constant of the given shape (small: stored inline). */
    String floats(long[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return constant(TensorProto.DataType.FLOAT_VALUE, shape, b.array());
    }

    /** A weight initializer under its own name; its bytes go to the {@link WeightStore}. */
    String weight(String name, int dataType, long[] shape, ByteBuffer littleEndian) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(dataType);
        for (long d : shape) {
            t.addDims(d);
        }
        weights.store(t, littleEndian);
        graph.addInitializer(t);
        return name;
    }

    /** A graph input; each dimension is a {@link Long} (fixed) or a {@link String} (symbolic). */
    void input(String name, int elemType, Object... dims) {
        graph.addInput(valueInfo(name, elemType, dims));
    }

    void output(String name, int elemType, Object... dims) {
        graph.addOutput(valueInfo(name, elemType, dims));
    }

    static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto attr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value)
                .build();
    }

    static AttributeProto attrInts(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private String constant(int dataType, long[] shape, byte[] bytes) {
        String name = "const_" + (counter++);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(dataType)
                .setRawData(ByteString.copyFrom(bytes));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    private static byte[] longBytes(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return b.array();
    }

    private static ValueInfoProto valueInfo(String name, int elemType, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        List<TensorShapeProto.Dimension> list = new ArrayList<>();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Long l) {
                dim.setDimValue(l);
            } else if (d instanceof Integer i) {
                dim.setDimValue(i);
            } else {
                dim.setDimParam((String) d);
            }
            list.add(dim.build());
        }
        shape.addAllDim(list);
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }
}
