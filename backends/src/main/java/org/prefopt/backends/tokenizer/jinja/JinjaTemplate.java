package org.prefopt.backends.tokenizer.jinja;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeBuilder;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ExpressionFactory;

/**
 * A Jinja2 template rendered by Jinjava configured to behave like the sandboxed Jinja2 environment HF
 * transformers uses for chat templates: Jinja2 whitespace rules ({@link JinjaWhitespace}), Python str
 * methods ({@link PyStrings}), step slices and keyword-argument precedence ({@link PyParser}),
 * Python-compatible {@code tojson} ({@link PyJson}) and printing ({@link PyExpressionStrategy}),
 * {@code raise_exception} and {@code strftime_now}.
 *
 * <p>Not supported, failing with a clear render error: {@code {% break %}}/{@code {% continue %}}
 * (loopcontrols), transformers' {@code {% generation %}} tag, {@code loop.previtem}/{@code loop.nextitem}.
 * Known silent differences from Jinja2 (not met in common chat templates): {@code {{ none }}} prints
 * empty instead of "None"; lists print booleans/None as true/null; {@code for c in some_string} iterates
 * once over the whole string; {@code '\u00e9'} escapes in string literals are a parse error; {@code 'ab' * 3}
 * is an error.
 */
public final class JinjaTemplate {

    private static final Jinjava JINJAVA = createEngine();

    private final String origin;
    private final String normalized;

    private JinjaTemplate(String origin, String normalized) {
        this.origin = origin;
        this.normalized = normalized;
    }

    /**
     * @param source the Jinja2 template text
     * @param origin where it came from (file and key), used in error messages
     * @throws TemplateException for an unterminated tag, expression or comment
     */
    public static JinjaTemplate compile(String source, String origin) {
        String normalized;
        try {
            normalized = JinjaWhitespace.normalize(source);
        } catch (JinjaWhitespace.SyntaxError e) {
            throw new TemplateException("chat template " + origin + ": " + e.getMessage(), e);
        }
        checkFilters(normalized, origin);
        return new JinjaTemplate(origin, normalized);
    }

    private static final Pattern TAG = Pattern.compile("\\{[{%](.*?)[}%]}", Pattern.DOTALL);
    private static final Pattern STRING_LITERAL = Pattern.compile("'(?:\\\\.|[^'\\\\])*'|\"(?:\\\\.|[^\"\\\\])*\"");
    private static final Pattern FILTER_USE = Pattern.compile("\\|\\s*([A-Za-z_][A-Za-z0-9_]*)");

    /** Jinja2 rejects unknown filters when compiling; Jinjava would silently render them as empty. */
    private static void checkFilters(String template, String origin) {
        Matcher tag = TAG.matcher(template);
        while (tag.find()) {
            String code = STRING_LITERAL.matcher(tag.group(1)).replaceAll("''");
            Matcher use = FILTER_USE.matcher(code);
            while (use.find()) {
                if (JINJAVA.getGlobalContext().getFilter(use.group(1)) == null) {
                    throw new TemplateException("chat template " + origin + ": no filter named '" + use.group(1)
                            + "' (used in '" + tag.group().strip() + "')", null);
                }
            }
        }
    }

    /**
     * Renders with {@code variables} as the template's globals.
     *
     * @throws TemplateException naming the template's origin and Jinja errors (syntax errors, failed
     *     expressions, {@code raise_exception} calls)
     */
    public String render(Map<String, ?> variables) {
        RenderResult result;
        try {
            result = JINJAVA.renderForResult(normalized, variables);
        } catch (RuntimeException e) {
            throw new TemplateException("chat template " + origin + " failed to render: " + e.getMessage(), e);
        }
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL
                        || e.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR
                        || e.getReason() == TemplateError.ErrorReason.UNKNOWN)
                .collect(Collectors.toList());
        if (!fatal.isEmpty()) {
            String detail = fatal.stream().map(JinjaTemplate::describe).collect(Collectors.joining("; "));
            throw new TemplateException("chat template " + origin + " failed to render: " + detail, null);
        }
        return result.getOutput();
    }

    private static String describe(TemplateError e) {
        String message = e.getMessage();
        Throwable cause = e.getException();
        while (cause != null) {
            if (cause instanceof TemplateFunctions.TemplateRaisedException) {
                message = "raise_exception: " + cause.getMessage();
                break;
            }
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        if (message != null && message.contains("TemplateRaisedException")) {
            int at = message.lastIndexOf("TemplateRaisedException: ");
            if (at >= 0) {
                message = "raise_exception: " + message.substring(at + "TemplateRaisedException: ".length());
            }
        }
        String where = e.getFieldName() == null ? "" : " in '" + e.getFieldName() + "'";
        return message + where;
    }

    /** A chat template that cannot be parsed or rendered. */
    public static final class TemplateException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TemplateException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static Jinjava createEngine() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PyMethodResolver());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                // Whitespace is resolved beforehand with Jinja2's exact rules (JinjaWhitespace).
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .withNestedInterpretationEnabled(false)
                .withFailOnUnknownTokens(false)
                .withElResolver(resolver)
                .withInterperterFactory(new PyInterpreterFactory())
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseNaturalOperatorPrecedence(true)
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withUsePyishObjectMapper(true)
                        .withKeepNullableLoopValues(true)
                        .withParseWhitespaceControlStrictly(true)
                        .build())
                .build();
        Jinjava jinjava = new PyJinjava(config);
        jinjava.getGlobalContext().registerFilter(new PyJson());
        PyFilters.all().forEach(jinjava.getGlobalContext()::registerFilter);
        try {
            jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                    TemplateFunctions.class.getMethod("raiseException", Object.class)));
            jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now",
                    TemplateFunctions.class.getMethod("strftimeNow", String.class)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        return jinjava;
    }

    /** Installs {@link PyExpressionStrategy} in every render's context (the global one is not inherited). */
    private static final class PyInterpreterFactory implements InterpreterFactory {
        @Override
        public JinjavaInterpreter newInstance(JinjavaInterpreter orig) {
            return new JinjavaInterpreter(orig);
        }

        @Override
        public JinjavaInterpreter newInstance(Jinjava application, Context context, JinjavaConfig renderConfig) {
            context.setExpressionStrategy(new PyExpressionStrategy());
            return new JinjavaInterpreter(application, context, renderConfig);
        }
    }

    /** Jinjava whose expression parser is {@link PyParser}. */
    private static final class PyJinjava extends Jinjava {
        private final ExpressionFactory factory;

        PyJinjava(JinjavaConfig config) {
            super(config);
            Properties properties = new Properties();
            properties.setProperty(TreeBuilder.class.getName(), PySyntaxBuilder.class.getName());
            factory = new ExpressionFactoryImpl(properties, new TruthyTypeConverter());
        }

        @Override
        public ExpressionFactory getExpressionFactory() {
            return factory;
        }
    }
}
