package org.prefopt.datasets.io.parquet;

import org.apache.parquet.schema.Type;

/** A column whose Parquet type has no JSON counterpart here (timestamps, maps, INT96, ...). */
final class UnsupportedColumnException extends Exception {

    UnsupportedColumnException(String column, Type type) {
        super("column '" + column + "' has the type '" + type.toString().strip().replaceAll("\\s+", " ")
                + "', which prefopt cannot read (it reads strings, integers, floating-point numbers, booleans,"
                + " decimals, binary, and lists and structs of these); drop or convert the column, e.g. with"
                + " datasets' remove_columns or cast",
                null, false, false);
    }
}
