package org.prefopt.datasets.io.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.Type;

/**
 * parquet-java converters that assemble a row into a Jackson tree, the same tree a JSONL line gives: a struct is
 * an object (every field present, {@code null} where the row has no value), a list an array. Built once per file,
 * from its schema; building fails on a column type that has no JSON counterpart.
 */
final class JsonConverters {

    /** Jackson's default factory keeps a decimal's scale: a DECIMAL(5,2) value 2.50 stays 2.50. */
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonConverters() {
    }

    /** The converter for a value of {@code type}; each value it assembles goes to {@code sink}. */
    static Converter of(Type type, String column, Consumer<JsonNode> sink, RowProblems problems)
            throws UnsupportedColumnException {
        if (type.isPrimitive()) {
            return ValueConverters.of(type.asPrimitiveType(), column, sink, problems);
        }
        GroupType group = type.asGroupType();
        LogicalTypeAnnotation annotation = group.getLogicalTypeAnnotation();
        if (annotation == null) {
            return new StructConverter(group, column, sink, problems);
        }
        if (annotation instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
            return new ListConverter(group, column, sink, problems);
        }
        throw new UnsupportedColumnException(column, type);
    }

    /** A group without annotation (and the row itself): a JSON object with one entry per field, in schema order. */
    static final class StructConverter extends GroupConverter {
        private final String[] names;
        private final boolean[] repeated;
        private final Converter[] fields;
        private final Consumer<JsonNode> sink;
        private ObjectNode node;

        StructConverter(GroupType type, String column, Consumer<JsonNode> sink, RowProblems problems)
                throws UnsupportedColumnException {
            this.sink = sink;
            int n = type.getFieldCount();
            names = new String[n];
            repeated = new boolean[n];
            fields = new Converter[n];
            for (int i = 0; i < n; i++) {
                Type field = type.getType(i);
                String name = field.getName();
                names[i] = name;
                // A repeated field outside a LIST group (the legacy form) is an array of its values.
                repeated[i] = field.isRepetition(Type.Repetition.REPEATED);
                Consumer<JsonNode> into = repeated[i] ? v -> ((ArrayNode) node.get(name)).add(v)
                        : v -> node.set(name, v);
                fields[i] = JsonConverters.of(field, column.isEmpty() ? name : column + "." + name, into, problems);
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return fields[fieldIndex];
        }

        @Override
        public void start() {
            node = NODES.objectNode();
            // Converters are only called for values that are there: start every field empty, in schema order.
            for (int i = 0; i < names.length; i++) {
                node.set(names[i], repeated[i] ? NODES.arrayNode() : NODES.nullNode());
            }
        }

        @Override
        public void end() {
            sink.accept(node);
        }
    }

    /** A LIST group: a JSON array. */
    static final class ListConverter extends GroupConverter {
        private final Converter repeatedField;
        private final Consumer<JsonNode> sink;
        private ArrayNode array;

        ListConverter(GroupType list, String column, Consumer<JsonNode> sink, RowProblems problems)
                throws UnsupportedColumnException {
            this.sink = sink;
            if (list.getFieldCount() != 1 || !list.getType(0).isRepetition(Type.Repetition.REPEATED)) {
                throw new UnsupportedColumnException(column, list);
            }
            Type r = list.getType(0);
            Consumer<JsonNode> add = v -> array.add(v);
            String element = column + "[]";
            repeatedField = repeatedIsElement(r, list.getName()) ? JsonConverters.of(r, element, add, problems)
                    : new ElementConverter(r.asGroupType(), element, add, problems);
        }

        /**
         * The backward-compatibility rules of the Parquet format's LIST type: in the standard three-level form
         * ({@code repeated group list { optional T element }}, what pyarrow writes) the repeated group only wraps
         * the element; in the older two-level forms the repeated field is the element itself.
         */
        private static boolean repeatedIsElement(Type repeated, String listName) {
            return repeated.isPrimitive() || repeated.asGroupType().getFieldCount() > 1
                    || repeated.getName().equals("array") || repeated.getName().equals(listName + "_tuple");
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return repeatedField;
        }

        @Override
        public void start() {
            array = NODES.arrayNode();
        }

        @Override
        public void end() {
            sink.accept(array);
        }
    }

    /** The repeated group of a three-level list: one element, {@code null} when the row has none there. */
    static final class ElementConverter extends GroupConverter {
        private final Converter element;
        private final Consumer<JsonNode> add;
        private JsonNode value;

        ElementConverter(GroupType wrapper, String column, Consumer<JsonNode> add, RowProblems problems)
                throws UnsupportedColumnException {
            this.add = add;
            this.element = JsonConverters.of(wrapper.getType(0), column, v -> value = v, problems);
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return element;
        }

        @Override
        public void start() {
            value = null;
        }

        @Override
        public void end() {
            add.accept(value == null ? NODES.nullNode() : value);
        }
    }
}
