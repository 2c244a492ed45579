package org.prefopt.backends.tokenizer.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateFunctionsTest {

    @Test
    void strftimeMatchesPython() {
        // python3: datetime(2024,7,26,15,4,5).strftime('%d %b %Y %H:%M:%S %A %a %B %j %p %I %y %m %%')
        assertEquals("26 Jul 2024 15:04:05 Friday Fri July 208 PM 03 24 07 %", TemplateFunctions.strftime(
                LocalDateTime.of(2024, 7, 26, 15, 4, 5), "%d %b %Y %H:%M:%S %A %a %B %j %p %I %y %m %%"));
        assertThrows(IllegalArgumentException.class,
                () -> TemplateFunctions.strftime(LocalDateTime.of(2024, 1, 1, 0, 0), "%Q"));
    }

    @Test
    void strftimeNowIsAvailableToTemplates() {
        String year = String.valueOf(LocalDateTime.now().getYear());
        String out = JinjaTemplate.compile("{{ strftime_now('%Y') }}", "t").render(Map.of());
        assertTrue(out.equals(year) || out.equals(String.valueOf(Integer.parseInt(year) + 1)), out);
    }
}
