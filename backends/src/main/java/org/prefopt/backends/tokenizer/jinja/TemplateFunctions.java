package org.prefopt.backends.tokenizer.jinja;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/** Globals HF transformers adds to the chat-template environment. Public static for Jinjava's registry. */
public final class TemplateFunctions {

    private TemplateFunctions() {
    }

    /** Raised by {@code raise_exception(msg)} in a template; rendering fails with this message. */
    public static final class TemplateRaisedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TemplateRaisedException(String message) {
            super(message);
        }
    }

    public static Object raiseException(Object message) {
        throw new TemplateRaisedException(String.valueOf(message));
    }

    /** {@code strftime_now(fmt)}: the local time formatted with Python's strftime codes. */
    public static String strftimeNow(String format) {
        return strftime(LocalDateTime.now(), format);
    }

    static String strftime(LocalDateTime t, String format) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                b.append(c);
                continue;
            }
            char f = format.charAt(++i);
            switch (f) {
                case 'd': b.append(String.format("%02d", t.getDayOfMonth())); break;
                case 'm': b.append(String.format("%02d", t.getMonthValue())); break;
                case 'Y': b.append(String.format("%04d", t.getYear())); break;
                case 'y': b.append(String.format("%02d", t.getYear() % 100)); break;
                case 'H': b.append(String.format("%02d", t.getHour())); break;
                case 'I': b.append(String.format("%02d", (t.getHour() + 11) % 12 + 1)); break;
                case 'M': b.append(String.format("%02d", t.getMinute())); break;
                case 'S': b.append(String.format("%02d", t.getSecond())); break;
                case 'p': b.append(t.getHour() < 12 ? "AM" : "PM"); break;
                case 'j': b.append(String.format("%03d", t.getDayOfYear())); break;
                case 'b': b.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)); break;
                case 'B': b.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH)); break;
                case 'a': b.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)); break;
                case 'A': b.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH)); break;
                case '%': b.append('%'); break;
                default:
                    throw new IllegalArgumentException("strftime_now: unsupported format code %" + f);
            }
        }
        return b.toString();
    }
}
