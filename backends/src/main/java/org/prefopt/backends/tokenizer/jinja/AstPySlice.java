package org.prefopt.backends.tokenizer.jinja;

import com.hubspot.jinjava.objects.collections.PyList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.Node;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstRightValue;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;

/**
 * Python slice {@code seq[start:stop:step]} on lists and strings, with Python's index clamping and
 * negative steps ({@code messages[::-1]} in Qwen3's template). Jinjava only parses {@code [a:b]}.
 */
final class AstPySlice extends AstRightValue {

    private final AstNode base;
    private final AstNode start;
    private final AstNode stop;
    private final AstNode step;

    AstPySlice(AstNode base, AstNode start, AstNode stop, AstNode step) {
        this.base = base;
        this.start = start;
        this.stop = stop;
        this.step = step;
    }

    @Override
    public Object eval(Bindings bindings, ELContext context) {
        Object seq = base.eval(bindings, context);
        if (seq == null) {
            throw new ELException("cannot slice none: " + base);
        }
        Integer stepValue = index(step, bindings, context);
        int st = stepValue == null ? 1 : stepValue;
        if (st == 0) {
            throw new ELException("slice step cannot be zero");
        }
        if (seq instanceof CharSequence) {
            String s = seq.toString();
            StringBuilder b = new StringBuilder();
            for (int i : indices(s.length(), index(start, bindings, context), index(stop, bindings, context), st)) {
                b.append(s.charAt(i));
            }
            return b.toString();
        }
        List<?> list;
        if (seq instanceof List<?>) {
            list = (List<?>) seq;
        } else if (seq instanceof Object[]) {
            list = Arrays.asList((Object[]) seq);
        } else if (seq instanceof Iterable<?>) {
            List<Object> copy = new ArrayList<>();
            ((Iterable<?>) seq).forEach(copy::add);
            list = copy;
        } else {
            throw new ELException("cannot slice a " + seq.getClass().getSimpleName() + ": " + base);
        }
        List<Object> out = new ArrayList<>();
        for (int i : indices(list.size(), index(start, bindings, context), index(stop, bindings, context), st)) {
            out.add(list.get(i));
        }
        return new PyList(out);
    }

    /** The indices Python's {@code slice(start, stop, step).indices(n)} visits. */
    static int[] indices(int n, Integer start, Integer stop, int step) {
        int lower = step > 0 ? 0 : -1;
        int upper = step > 0 ? n : n - 1;
        int s = start == null ? (step > 0 ? lower : upper) : clamp(start, n, lower, upper);
        int e = stop == null ? (step > 0 ? upper : lower) : clamp(stop, n, lower, upper);
        int count = step > 0 ? Math.max(0, (e - s + step - 1) / step) : Math.max(0, (s - e - step - 1) / -step);
        int[] out = new int[count];
        for (int k = 0; k < count; k++) {
            out[k] = s + k * step;
        }
        return out;
    }

    private static int clamp(int i, int n, int lower, int upper) {
        int v = i < 0 ? i + n : i;
        return v < lower ? lower : Math.min(v, upper);
    }

    private static Integer index(AstNode node, Bindings bindings, ELContext context) {
        if (node == null) {
            return null;
        }
        Object v = node.eval(bindings, context);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number)) {
            throw new ELException("slice indices must be integers or none, got " + v.getClass().getSimpleName());
        }
        return ((Number) v).intValue();
    }

    @Override
    public void appendStructure(StringBuilder b, Bindings bindings) {
        base.appendStructure(b, bindings);
        b.append('[');
        if (start != null) {
            start.appendStructure(b, bindings);
        }
        b.append(':');
        if (stop != null) {
            stop.appendStructure(b, bindings);
        }
        b.append(':');
        if (step != null) {
            step.appendStructure(b, bindings);
        }
        b.append(']');
    }

    @Override
    public String toString() {
        return "[::]";
    }

    @Override
    public int getCardinality() {
        return 4;
    }

    @Override
    public Node getChild(int i) {
        switch (i) {
            case 0: return base;
            case 1: return start;
            case 2: return stop;
            case 3: return step;
            default: return null;
        }
    }
}
