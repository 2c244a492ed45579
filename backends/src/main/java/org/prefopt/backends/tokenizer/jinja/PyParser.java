package org.prefopt.backends.tokenizer.jinja;

import static jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.COLON;
import static jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.COMMA;
import static jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.EXTENSION;
import static jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.IDENTIFIER;
import static jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.LPAREN;
import static jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.RBRACK;

import com.hubspot.jinjava.el.ext.AstNamedParameter;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Scanner.ScanException;
import jinjava.de.odysseus.el.tree.impl.Scanner.Symbol;
import jinjava.de.odysseus.el.tree.impl.ast.AstBracket;
import jinjava.de.odysseus.el.tree.impl.ast.AstDot;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstParameters;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;

/**
 * Jinjava's expression parser with two Jinja2 behaviours it lacks:
 * <ul>
 *   <li>keyword arguments bind a whole expression: {@code namespace(last=messages|length - 1)} is
 *       {@code last=(messages|length - 1)}; Jinjava parses {@code =} at additive precedence, giving
 *       {@code (last=messages|length) - 1};</li>
 *   <li>slices with a step, {@code seq[start:stop:step]} (Python semantics, see {@link AstPySlice});</li>
 *   <li>{@code not} binds looser than comparisons and tests: {@code not x is defined} is
 *       {@code not (x is defined)} (Jinjava parses {@code (not x) is defined}, which DeepSeek-R1-style
 *       templates hit).</li>
 * </ul>
 * Requires the natural-operator-precedence legacy override (filters parsed above {@link #value()}).
 */
final class PyParser extends ExtendedParser {

    PyParser(Builder context, String input) {
        super(context, input);
    }

    @Override
    protected AstParameters params(Symbol left, Symbol right) throws ScanException, ParseException {
        consumeToken(left);
        List<AstNode> l = Collections.emptyList();
        AstNode v = param(false);
        if (v != null) {
            l = new ArrayList<>();
            l.add(v);
            while (getToken().getSymbol() == COMMA) {
                consumeToken();
                l.add(param(true));
            }
        }
        consumeToken(right);
        return createAstParameters(l);
    }

    private AstNode param(boolean required) throws ScanException, ParseException {
        if (getToken().getSymbol() == IDENTIFIER && lookahead(0).getSymbol() == EXTENSION
                && "=".equals(lookahead(0).getImage())) {
            String name = consumeToken().getImage();
            consumeToken();
            return new AstNamedParameter(identifier(name), expr(true));
        }
        return expr(required);
    }

    @Override
    protected AstNode eq(boolean required) throws ScanException, ParseException {
        if (getToken().getSymbol() == Symbol.NOT) {
            consumeToken();
            return createAstUnary(eq(true), AstUnary.NOT);
        }
        return super.eq(required);
    }

    @Override
    protected AstNode value() throws ScanException, ParseException {
        boolean lvalue = true;
        AstNode v = nonliteral();
        if (v == null) {
            v = literal();
            if (v == null) {
                return null;
            }
            lvalue = false;
        }
        while (true) {
            switch (getToken().getSymbol()) {
                case DOT: {
                    consumeToken();
                    String name = consumeToken(IDENTIFIER).getImage();
                    AstDot dot = createAstDot(v, name, lvalue);
                    if (getToken().getSymbol() == LPAREN && context.isEnabled(Builder.Feature.METHOD_INVOCATIONS)) {
                        v = createAstMethod(dot, params());
                    } else {
                        v = dot;
                    }
                    break;
                }
                case LBRACK: {
                    consumeToken();
                    AstNode first = getToken().getSymbol() == COLON ? null : expr(false);
                    if (getToken().getSymbol() == COLON) {
                        consumeToken();
                        AstNode stop = isSliceEnd() ? null : expr(false);
                        AstNode step = null;
                        if (getToken().getSymbol() == COLON) {
                            consumeToken();
                            step = isSliceEnd() ? null : expr(false);
                        }
                        consumeToken(RBRACK);
                        v = new AstPySlice(v, first, stop, step);
                    } else {
                        consumeToken(RBRACK);
                        boolean strict = !context.isEnabled(Builder.Feature.NULL_PROPERTIES);
                        AstBracket bracket = createAstBracket(v, first, lvalue, strict);
                        if (getToken().getSymbol() == LPAREN
                                && context.isEnabled(Builder.Feature.METHOD_INVOCATIONS)) {
                            v = createAstMethod(bracket, params());
                        } else {
                            v = bracket;
                        }
                    }
                    break;
                }
                default:
                    return v;
            }
        }
    }

    private boolean isSliceEnd() {
        Symbol s = getToken().getSymbol();
        return s == COLON || s == RBRACK;
    }
}
