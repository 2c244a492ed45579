package org.prefopt.datasets.io.parquet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;

/** Assembles each row of a file as a JSON object, for the same {@code RecordParser} a JSONL line goes to. */
final class JsonRowMaterializer extends RecordMaterializer<ObjectNode> {

    private final RowProblems problems = new RowProblems();
    private final JsonConverters.StructConverter root;
    private ObjectNode current;

    /** @throws UnsupportedColumnException for the first column of a type with no JSON counterpart */
    JsonRowMaterializer(MessageType schema) throws UnsupportedColumnException {
        root = new JsonConverters.StructConverter(schema, "", node -> current = (ObjectNode) node, problems);
    }

    @Override
    public ObjectNode getCurrentRecord() {
        return current;
    }

    @Override
    public GroupConverter getRootConverter() {
        return root;
    }

    /** What was wrong with the row just read (a string that is not UTF-8), or null; cleared for the next row. */
    String takeProblem() {
        return problems.take();
    }
}
