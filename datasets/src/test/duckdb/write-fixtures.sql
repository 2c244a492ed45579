-- Writes the Parquet fixtures of IndependentWriterTest (src/test/resources/parquet/) with DuckDB: a Parquet writer
-- independent of parquet-java (C++, its own encoders and snappy/zstd), as a check that the reader does not only
-- understand the writer it shares code with. (pyarrow, which Hugging Face datasets uses, is not packaged for this
-- Debian.) Run from the datasets module:  duckdb < src/test/duckdb/write-fixtures.sql   (written with DuckDB 1.1.3)

-- GSM8K-style, snappy (DuckDB's default codec, as it is pyarrow's); row 3 has no '#### N' line.
COPY (SELECT * FROM (VALUES
    (1, 'Janet has 3 ducks.', 'She buys 2 more: 3+2=<<3+2=5>>5.' || chr(10) || 'Then 5*1,000=<<5*1000=5000>>5000.'
        || chr(10) || '#### 5,000'),
    (2, 'Q2', 'Only one line' || chr(10) || '#### -7'),
    (3, 'Q3', 'no marker here'),
    (4, 'Q6 ünïcødé ∑', '#### 6')
) t(n, question, answer) ORDER BY n) TO 'src/test/resources/parquet/gsm8k-duckdb-snappy.parquet'
    (FORMAT PARQUET, COMPRESSION SNAPPY);

-- MATH-style, zstd; row 3 is the real train file's "Level ?".
COPY (SELECT * EXCLUDE (n) FROM (VALUES
    (1, 'What is $1+1$?', 'Level 1', 'Algebra', 'It is $\boxed{2}$.', NULL, NULL),
    (2, 'Compute $\frac{1}{2}+\frac{1}{4}$.', 'Level 3', 'Prealgebra', 'We get $\boxed{\frac{3}{4}}$.', NULL, NULL),
    (3, 'The real train file has this.', 'Level ?', 'Geometry', '$\boxed{5}$', NULL, NULL),
    (4, 'Given answer.', 'Level 2', 'Number Theory', 'long \boxed{12}', '12', 'test/number_theory/7.json')
) t(n, problem, level, type, solution, answer, unique_id) ORDER BY n)
    TO 'src/test/resources/parquet/math-duckdb-zstd.parquet' (FORMAT PARQUET, COMPRESSION ZSTD);

-- Value types, lists and structs, nulls.
COPY (SELECT * EXCLUDE (n) FROM (VALUES
    (1, 'a', 1::INTEGER, 1099511627776::BIGINT, 0.5::DOUBLE, true, ['x', NULL, 'y'],
        {'source': 'hf', 'year': NULL::INTEGER}, 7::SMALLINT, 4294967295::UINTEGER, 2.50::DECIMAL(5,2)),
    (2, 'b', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
) t(n, s, i, l, d, b, tags, meta, small, u, dec) ORDER BY n)
    TO 'src/test/resources/parquet/types-duckdb-snappy.parquet' (FORMAT PARQUET, COMPRESSION SNAPPY);
