package org.prefopt.backends.tokenizer.jinja;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values are what CPython 3 returns for the same calls. */
class PyStringsTest {

    private static Object call(String s, String method, Object... args) {
        return PyStrings.call(s, method, args);
    }

    @Test
    void splitKeepsEmptyPartsLikePython() {
        assertEquals(List.of("", "a", "", "b", ""), call(",a,,b,", "split", ","));
        assertEquals(List.of("a", "b c"), call("a b c", "split", " ", 1L));
        assertEquals(List.of("a", "b", "c"), call("  a \t b\nc  ", "split"));
        assertEquals(List.of("a", "b  c "), call("  a b  c ", "split", null, 1L));
        assertEquals(List.of(), call("   ", "split"));
        assertEquals(List.of("a.b", "c"), call("a.b.c", "rsplit", ".", 1L));
        assertEquals(List.of("x|y"), call("x|y", "split", "</think>"));
    }

    @Test
    void stripFamily() {
        assertEquals("x y", call(" \u00a0\tx y\n\u2003", "strip"));
        assertEquals("abc", call("xxabcxy", "strip", "xy"));
        assertEquals("abc\n", call("\n\nabc\n", "lstrip", "\n"));
        assertEquals("\nabc", call("\nabc\n\n", "rstrip", "\n"));
    }

    @Test
    void otherMethods() {
        assertEquals(true, call("<tool_response>x", "startswith", "<tool_response>"));
        assertEquals(true, call("abc", "endswith", List.of("x", "bc")));
        assertEquals("Hello World'S 2Nd", call("hello world's 2nd", "title"));
        assertEquals("Hello", call("hELLO", "capitalize"));
        assertEquals("a-b-cXd", call("aXbXcXd", "replace", "X", "-", 2L));
        assertEquals(2L, call("banana", "count", "an"));
        assertEquals(1L, call("banana", "find", "an"));
        assertEquals("a, b", call(", ", "join", List.of("a", "b")));
        assertEquals(List.of("a", "b", ""), call("a\nb\r\n\n", "splitlines"));
        assertThrows(IllegalArgumentException.class, () -> call("a", "startswith"));
    }

    @Test
    void slicesFollowPythonIndexRules() {
        assertArrayEquals(new int[] {3, 2, 1, 0}, AstPySlice.indices(4, null, null, -1));
        assertArrayEquals(new int[] {1, 2}, AstPySlice.indices(4, 1, -1, 1));
        assertArrayEquals(new int[] {0, 2}, AstPySlice.indices(4, -10, 10, 2));
        assertArrayEquals(new int[] {3, 1}, AstPySlice.indices(4, 10, null, -2));
        assertArrayEquals(new int[] {}, AstPySlice.indices(4, 3, 1, 1));
        assertArrayEquals(new int[] {}, AstPySlice.indices(0, null, null, -1));
    }

    @Test
    void pythonFloatRepr() {
        assertEquals("0.1", PyJson.floatRepr(0.1));
        assertEquals("1e-05", PyJson.floatRepr(1e-5));
        assertEquals("0.0001", PyJson.floatRepr(1e-4));
        assertEquals("1e+16", PyJson.floatRepr(1e16));
        assertEquals("1234567890123456.0", PyJson.floatRepr(1234567890123456.0));
        assertEquals("-2.5", PyJson.floatRepr(-2.5));
        assertEquals("1.2345e+20", PyJson.floatRepr(1.2345e20));
    }
}
