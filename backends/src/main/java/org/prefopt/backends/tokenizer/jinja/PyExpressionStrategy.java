package org.prefopt.backends.tokenizer.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;

/**
 * Prints {@code {{ expr }}} values as Jinja2 does where Jinjava differs: booleans as {@code True}/{@code False}.
 * None and undefined both print as empty (Jinja2 prints None as "None", but Jinjava cannot tell None from
 * undefined, and undefined, which prints empty, is what templates meet far more often).
 * No nested interpretation: a message containing "{{" is printed as is.
 */
final class PyExpressionStrategy implements ExpressionStrategy {

    private static final long serialVersionUID = 1L;

    @Override
    public RenderedOutputNode interpretOutput(ExpressionToken master, JinjavaInterpreter interpreter) {
        Object value = interpreter.resolveELExpression(master.getExpr(), master.getLineNumber());
        if (value instanceof Boolean) {
            return new RenderedOutputNode((Boolean) value ? "True" : "False");
        }
        return new RenderedOutputNode(interpreter.getAsString(value));
    }
}
