package org.prefopt.datasets.io.parquet;

import static org.prefopt.datasets.io.parquet.JsonConverters.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Converters for single values, as the JSON node a JSONL line would hold: strings as text, integers as integral
 * numbers, FLOAT and DOUBLE as doubles, booleans, decimals exactly, binary without annotation as binary (a parser
 * that wants text then reports "must be a string (got binary)").
 */
final class ValueConverters {

    private ValueConverters() {
    }

    static PrimitiveConverter of(PrimitiveType type, String column, Consumer<JsonNode> sink, RowProblems problems)
            throws UnsupportedColumnException {
        LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
        PrimitiveConverter c = switch (type.getPrimitiveTypeName()) {
            case BOOLEAN -> a == null ? booleans(sink) : null;
            case INT32 -> a == null || signedInt(a) ? ints(sink, NODES::numberNode)
                    : a instanceof IntLogicalTypeAnnotation
                            ? ints(sink, v -> NODES.numberNode(Integer.toUnsignedLong(v)))
                    : a instanceof DecimalLogicalTypeAnnotation d ? new Decimals(sink, d.getScale())
                    : null;
            case INT64 -> a == null || signedInt(a) ? longs(sink, NODES::numberNode)
                    : a instanceof IntLogicalTypeAnnotation ? longs(sink, ValueConverters::unsignedLong)
                    : a instanceof DecimalLogicalTypeAnnotation d ? new Decimals(sink, d.getScale())
                    : null;
            case FLOAT -> a == null ? floats(sink) : null;
            case DOUBLE -> a == null ? doubles(sink) : null;
            case BINARY, FIXED_LEN_BYTE_ARRAY -> a == null ? binaries(sink, v -> NODES.binaryNode(v.getBytes()))
                    : a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                            || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                            || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation
                            ? new Texts(sink, column, problems)
                    : a instanceof DecimalLogicalTypeAnnotation d ? new Decimals(sink, d.getScale())
                    : a instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation
                            ? binaries(sink, ValueConverters::uuid)
                    : null;
            // INT96 holds legacy timestamps.
            default -> null;
        };
        if (c == null) {
            throw new UnsupportedColumnException(column, type);
        }
        return c;
    }

    private static boolean signedInt(LogicalTypeAnnotation a) {
        return a instanceof IntLogicalTypeAnnotation i && i.isSigned();
    }

    private static JsonNode unsignedLong(long value) {
        return value >= 0 ? NODES.numberNode(value) : NODES.numberNode(new BigInteger(Long.toUnsignedString(value)));
    }

    private static JsonNode uuid(Binary value) {
        ByteBuffer b = ByteBuffer.wrap(value.getBytes());
        return NODES.textNode(new UUID(b.getLong(), b.getLong()).toString());
    }

    private static PrimitiveConverter booleans(Consumer<JsonNode> sink) {
        return new PrimitiveConverter() {
            @Override
            public void addBoolean(boolean value) {
                sink.accept(NODES.booleanNode(value));
            }
        };
    }

    private static PrimitiveConverter ints(Consumer<JsonNode> sink, IntFunction<JsonNode> node) {
        return new PrimitiveConverter() {
            @Override
            public void addInt(int value) {
                sink.accept(node.apply(value));
            }
        };
    }

    private static PrimitiveConverter longs(Consumer<JsonNode> sink, LongFunction<JsonNode> node) {
        return new PrimitiveConverter() {
            @Override
            public void addLong(long value) {
                sink.accept(node.apply(value));
            }
        };
    }

    private static PrimitiveConverter floats(Consumer<JsonNode> sink) {
        return new PrimitiveConverter() {
            @Override
            public void addFloat(float value) {
                // Through the float's shortest decimal form: 0.1f becomes 0.1, as in JSON, not 0.10000000149011612.
                sink.accept(NODES.numberNode(Double.parseDouble(Float.toString(value))));
            }
        };
    }

    private static PrimitiveConverter doubles(Consumer<JsonNode> sink) {
        return new PrimitiveConverter() {
            @Override
            public void addDouble(double value) {
                sink.accept(NODES.numberNode(value));
            }
        };
    }

    private static PrimitiveConverter binaries(Consumer<JsonNode> sink, Function<Binary, JsonNode> node) {
        return new PrimitiveConverter() {
            @Override
            public void addBinary(Binary value) {
                sink.accept(node.apply(value));
            }
        };
    }

    /** DECIMAL in any physical type: the unscaled integer and the schema's scale. */
    private static final class Decimals extends PrimitiveConverter {
        private final Consumer<JsonNode> sink;
        private final int scale;

        Decimals(Consumer<JsonNode> sink, int scale) {
            this.sink = sink;
            this.scale = scale;
        }

        @Override
        public void addInt(int value) {
            sink.accept(NODES.numberNode(BigDecimal.valueOf(value, scale)));
        }

        @Override
        public void addLong(long value) {
            sink.accept(NODES.numberNode(BigDecimal.valueOf(value, scale)));
        }

        @Override
        public void addBinary(Binary value) {
            sink.accept(NODES.numberNode(new BigDecimal(new BigInteger(value.getBytes()), scale)));
        }
    }

    /**
     * Strings, decoded strictly: parquet-java's own {@code toStringUsingUTF8} would replace a malformed byte
     * silently, where a JSONL line with one is a bad record.
     */
    private static final class Texts extends PrimitiveConverter {
        private final Consumer<JsonNode> sink;
        private final String column;
        private final RowProblems problems;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);

        Texts(Consumer<JsonNode> sink, String column, RowProblems problems) {
            this.sink = sink;
            this.column = column;
            this.problems = problems;
        }

        @Override
        public void addBinary(Binary value) {
            try {
                sink.accept(NODES.textNode(decoder.reset().decode(ByteBuffer.wrap(value.getBytes())).toString()));
            } catch (CharacterCodingException e) {
                problems.add("column '" + column + "' is not valid UTF-8 (re-encode the text as UTF-8)");
                sink.accept(NODES.nullNode());
            }
        }
    }
}
