package io.accessbridge.target.http;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheException;
import java.io.IOException;
import java.io.Writer;
import org.apache.camel.component.mustache.MustacheComponent;

/**
 * The {@code json-template:} endpoints of the routes: Mustache templates whose {@code {{...}}} values are
 * escaped for JSON strings (quotes, backslashes, control characters), not for HTML, so that a value can never
 * break out of its JSON string. Triple braces ({@code {{{...}}}}) would bypass the escaping: do not use them.
 */
public final class JsonTemplates {

    private JsonTemplates() {
    }

    /** A Mustache component that escapes for JSON. */
    public static MustacheComponent component() {
        MustacheComponent component = new MustacheComponent();
        component.setMustacheFactory(new JsonEscapingFactory());
        return component;
    }

    /** Mustache factory escaping values as JSON string content. */
    static final class JsonEscapingFactory extends DefaultMustacheFactory {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(escape(value));
            } catch (IOException e) {
                throw new MustacheException("cannot write template output", e);
            }
        }
    }

    /** {@code value} as the content of a JSON string. */
    public static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
