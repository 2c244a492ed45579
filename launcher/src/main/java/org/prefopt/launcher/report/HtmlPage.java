package org.prefopt.launcher.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.prefopt.api.io.AtomicFiles;

/** A static, self-contained HTML page (no scripts, no external resources); every text is escaped. */
public final class HtmlPage {

    private final StringBuilder body = new StringBuilder();
    private final String title;

    public HtmlPage(String title) {
        this.title = title;
        body.append("<h1>").append(escape(title)).append("</h1>\n");
    }

    public HtmlPage heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    public HtmlPage paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A table; the first row is the header. */
    public HtmlPage table(List<List<String>> rows) {
        body.append("<table>\n");
        for (int i = 0; i < rows.size(); i++) {
            String cell = i == 0 ? "th" : "td";
            body.append("<tr>");
            for (String c : rows.get(i)) {
                body.append('<').append(cell).append('>').append(escape(c)).append("</").append(cell).append('>');
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** An image next to the page, by its file name. */
    public HtmlPage image(String fileName, String alt) {
        body.append("<p><img src=\"").append(escape(fileName)).append("\" alt=\"").append(escape(alt))
                .append("\" width=\"").append(Charts.WIDTH).append("\" height=\"").append(Charts.HEIGHT)
                .append("\"></p>\n");
        return this;
    }

    /** Links as a list: each entry is {text, relative href}. */
    public HtmlPage links(List<String[]> links) {
        body.append("<ul>\n");
        for (String[] l : links) {
            body.append("<li><a href=\"").append(escape(l[1])).append("\">").append(escape(l[0])).append("</a></li>\n");
        }
        body.append("</ul>\n");
        return this;
    }

    public String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>\nbody { font-family: sans-serif; margin: 2em; max-width: 1000px; }\n"
                + "table { border-collapse: collapse; margin: 1em 0; }\n"
                + "th, td { border: 1px solid #bbb; padding: 4px 8px; text-align: right; }\n"
                + "th:first-child, td:first-child { text-align: left; }\nth { background: #eee; }\n</style>\n"
                + "</head>\n<body>\n" + body + "</body>\n</html>\n";
    }

    public void write(Path file) {
        AtomicFiles.write(file, render().getBytes(StandardCharsets.UTF_8));
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
