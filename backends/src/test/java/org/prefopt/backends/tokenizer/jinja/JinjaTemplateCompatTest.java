package org.prefopt.backends.tokenizer.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Jinjava plus the Python bridges renders like Jinja2 as HF transformers configures it. Expected strings
 * come from Python Jinja2 (src/test/resources/tokenizer/jinja/make_cases.py).
 */
class JinjaTemplateCompatTest {

    @TestFactory
    Stream<DynamicTest> rendersLikeJinja2() throws IOException {
        List<Map<String, Object>> cases;
        try (InputStream in = getClass().getResourceAsStream("/tokenizer/jinja/cases.json")) {
            cases = new ObjectMapper().readValue(in, new TypeReference<>() { });
        }
        assertTrue(cases.size() >= 25, "cases.json is incomplete");
        return cases.stream().map(c -> DynamicTest.dynamicTest((String) c.get("name"), () -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = (Map<String, Object>) c.get("variables");
            JinjaTemplate template = JinjaTemplate.compile((String) c.get("template"), "case " + c.get("name"));
            if (c.containsKey("error")) {
                JinjaTemplate.TemplateException e =
                        assertThrows(JinjaTemplate.TemplateException.class, () -> template.render(variables));
                assertTrue(e.getMessage().contains((String) c.get("error")), e.getMessage());
            } else {
                assertEquals(c.get("expected"), template.render(variables));
            }
        }));
    }

    @Test
    void raiseExceptionFailsWithTheTemplatesMessageAndOrigin() {
        JinjaTemplate t = JinjaTemplate.compile(
                "{% if messages|length == 0 %}{{ raise_exception('No messages given') }}{% endif %}ok", "cfg.json");
        JinjaTemplate.TemplateException e =
                assertThrows(JinjaTemplate.TemplateException.class, () -> t.render(Map.of("messages", List.of())));
        assertTrue(e.getMessage().contains("cfg.json"), e.getMessage());
        assertTrue(e.getMessage().contains("No messages given"), e.getMessage());
        assertEquals("ok", t.render(Map.of("messages", List.of(1))));
    }

    @Test
    void unterminatedTagIsASyntaxErrorWithItsLine() {
        JinjaTemplate.TemplateException e = assertThrows(JinjaTemplate.TemplateException.class,
                () -> JinjaTemplate.compile("line1\n{% if x %}ok\n{{ x ", "t.jinja"));
        assertTrue(e.getMessage().contains("t.jinja") && e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void unknownFilterIsRejectedButPipesInStringsAreNot() {
        JinjaTemplate.TemplateException e = assertThrows(JinjaTemplate.TemplateException.class,
                () -> JinjaTemplate.compile("{{ messages|no_such_filter }}", "t.jinja"));
        assertTrue(e.getMessage().contains("t.jinja") && e.getMessage().contains("no_such_filter"), e.getMessage());
        assertEquals("a|b", JinjaTemplate.compile("{{ 'a|b' }}", "t").render(Map.of()));
    }

    @Test
    void unknownFunctionFailsToRender() {
        JinjaTemplate t = JinjaTemplate.compile("{{ no_such_function(1) }}", "t.jinja");
        JinjaTemplate.TemplateException e =
                assertThrows(JinjaTemplate.TemplateException.class, () -> t.render(Map.of()));
        assertTrue(e.getMessage().contains("t.jinja") && e.getMessage().contains("no_such_function"), e.getMessage());
    }

    /** Features Jinjava lacks must fail loudly, never render something different. */
    @Test
    void unsupportedFeaturesFailInsteadOfRenderingWrongly() {
        Map<String, Object> vars = Map.of("messages", List.of(Map.of("role", "user"), Map.of("role", "assistant")));
        for (String source : List.of(
                "{% for m in messages %}{% if loop.first %}{% break %}{% endif %}{{ m.role }}{% endfor %}",
                "{% for m in messages %}{% continue %}{% endfor %}",
                "{% for m in messages %}{% generation %}{{ m.role }}{% endgeneration %}{% endfor %}",
                "{% for m in messages %}{{ loop.previtem }}{% endfor %}")) {
            JinjaTemplate t = JinjaTemplate.compile(source, "t.jinja");
            JinjaTemplate.TemplateException e =
                    assertThrows(JinjaTemplate.TemplateException.class, () -> t.render(vars), source);
            assertTrue(e.getMessage().contains("t.jinja"), e.getMessage());
        }
    }

    @Test
    void messageTextIsNotInterpretedAsTemplate() {
        JinjaTemplate t = JinjaTemplate.compile("{{ m }}", "t");
        assertEquals("{{ 1 + 1 }} {% if %}", t.render(Map.of("m", "{{ 1 + 1 }} {% if %}")));
    }
}
