package org.prefopt.backends.tokenizer.jinja;

/**
 * Applies Jinja2's lexer-level whitespace rules to a template source, so that Jinjava (whose own
 * {@code trim_blocks}/{@code lstrip_blocks} differ from Jinja2's: it strips spaces before any tag even
 * mid-line, and ignores {@code -} on expressions by default) only has to render plain tags.
 *
 * <p>Reproduces the environment HF transformers uses for chat templates: {@code trim_blocks=True},
 * {@code lstrip_blocks=True}, {@code keep_trailing_newline=False}; {@code -} and {@code +} markers on
 * {@code {%}, {@code {{} and {@code {#}; comments removed; {@code raw} blocks kept verbatim.
 * The output has no whitespace markers and no comments; render it with trim/lstrip disabled.
 */
public final class JinjaWhitespace {

    private static final java.util.regex.Pattern END_RAW =
            java.util.regex.Pattern.compile("\\{%([-+]?)\\s*endraw\\s*([-+]?)%}");

    private JinjaWhitespace() {
    }

    /** Thrown for an unterminated tag, expression or comment; carries the 1-based line. */
    public static final class SyntaxError extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        SyntaxError(String message) {
            super(message);
        }
    }

    public static String normalize(String source) {
        String src = source;
        // keep_trailing_newline=False: Jinja2 drops one trailing newline of the source.
        if (src.endsWith("\r\n")) {
            src = src.substring(0, src.length() - 2);
        } else if (src.endsWith("\n")) {
            src = src.substring(0, src.length() - 1);
        }
        StringBuilder out = new StringBuilder(src.length());
        int pos = 0;
        char prevKind = 0;          // kind of the previous tag: '%', '{' (expression) or '#'
        char prevRightMarker = 0;   // '-', '+' or 0
        boolean lineStarting = true;
        while (true) {
            int start = nextOpen(src, pos);
            String text = src.substring(pos, start < 0 ? src.length() : start);
            // Right-hand rules of the previous tag apply to the start of this text.
            if (prevRightMarker == '-') {
                text = lstripWs(text);
            } else if (prevRightMarker != '+' && (prevKind == '%' || prevKind == '#')) {
                if (text.startsWith("\r\n")) {
                    text = text.substring(2);
                } else if (text.startsWith("\n")) {
                    text = text.substring(1);
                }
            }
            if (start < 0) {
                out.append(text);
                return out.toString();
            }
            char kind = src.charAt(start + 1);
            int innerStart = start + 2;
            char leftMarker = 0;
            if (innerStart < src.length() && (src.charAt(innerStart) == '-' || src.charAt(innerStart) == '+')) {
                leftMarker = src.charAt(innerStart);
                innerStart++;
            }
            int close = findClose(src, innerStart, kind, start);
            int innerEnd = close;
            char rightMarker = 0;
            if (close > innerStart && (src.charAt(close - 1) == '-' || src.charAt(close - 1) == '+')) {
                rightMarker = src.charAt(close - 1);
                innerEnd = close - 1;
            }
            // Left-hand rules of this tag apply to the end of the text before it.
            if (leftMarker == '-') {
                text = rstripWs(text);
            } else if (leftMarker != '+' && kind != '{') {
                int lineStart = text.lastIndexOf('\n') + 1;
                if ((lineStart > 0 || lineStarting) && isBlank(text, lineStart)) {
                    text = text.substring(0, lineStart);
                }
            }
            out.append(text);
            String inner = src.substring(innerStart, innerEnd);
            int after = close + 2;
            if (kind == '%' && inner.strip().equals("raw")) {
                java.util.regex.Matcher endRaw = END_RAW.matcher(src);
                if (!endRaw.find(after)) {
                    throw new SyntaxError("unterminated {% raw %} block at line " + lineOf(src, start));
                }
                String body = src.substring(after, endRaw.start());
                if (rightMarker == '-') {
                    body = lstripWs(body);
                }
                if (endRaw.group(1).equals("-")) {
                    body = rstripWs(body);
                }
                out.append("{% raw %}").append(body).append("{% endraw %}");
                pos = endRaw.end();
                prevKind = '%';
                prevRightMarker = endRaw.group(2).isEmpty() ? 0 : endRaw.group(2).charAt(0);
                lineStarting = false;
                continue;
            }
            if (kind != '#') {
                out.append('{').append(kind).append(inner).append(kind == '{' ? '}' : '%').append('}');
            }
            pos = after;
            prevKind = kind;
            prevRightMarker = rightMarker;
            // Jinja2 tracks whether the consumed tag end (with trim_blocks' newline) ended a line.
            lineStarting = rightMarker == 0 && kind != '{' && src.startsWith("\n", after)
                    || rightMarker == '-' && endsWithNewlineAfterStrip(src, after);
        }
    }

    private static boolean endsWithNewlineAfterStrip(String src, int from) {
        int i = from;
        while (i < src.length() && Character.isWhitespace(src.charAt(i))) {
            i++;
        }
        return i > from && src.charAt(i - 1) == '\n';
    }

    private static int nextOpen(String src, int from) {
        int i = src.indexOf('{', from);
        while (i >= 0 && i + 1 < src.length()) {
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
            i = src.indexOf('{', i + 1);
        }
        return -1;
    }

    /** Index of the closing delimiter ({@code }}}, {@code %}} or {@code #}}), skipping string literals. */
    private static int findClose(String src, int from, char kind, int openedAt) {
        if (kind == '#') {
            int end = src.indexOf("#}", from);
            if (end < 0) {
                throw new SyntaxError("unterminated comment {# at line " + lineOf(src, openedAt));
            }
            return end;
        }
        char closer = kind == '{' ? '}' : '%';
        char quote = 0;
        for (int i = from; i + 1 < src.length(); i++) {
            char c = src.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == closer && src.charAt(i + 1) == '}') {
                return i;
            }
        }
        throw new SyntaxError("unterminated " + (kind == '{' ? "{{ expression" : "{% tag") + " at line "
                + lineOf(src, openedAt));
    }


    static int lineOf(String src, int index) {
        int line = 1;
        for (int i = 0; i < index && i < src.length(); i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static boolean isBlank(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != 0x0B) {
                return false;
            }
        }
        return true;
    }

    private static String lstripWs(String s) {
        int i = 0;
        while (i < s.length() && PyStrings.isPySpace(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }

    private static String rstripWs(String s) {
        int i = s.length();
        while (i > 0 && PyStrings.isPySpace(s.charAt(i - 1))) {
            i--;
        }
        return s.substring(0, i);
    }
}
