package org.pumpcds.cards;

import com.samskivert.mustache.Mustache;

/**
 * How a value from an order or a record enters a card's markdown detail: it stays text there. HTML is escaped (no
 * markup), brackets and backslashes are escaped (no link or image), and line breaks become spaces (no heading, list
 * or paragraph of its own). One pass over the value, a character at a time.
 */
final class MarkdownText implements Mustache.Escaper {

    static final MarkdownText ESCAPER = new MarkdownText();

    private MarkdownText() {
    }

    @Override
    public String escape(String raw) {
        StringBuilder out = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '\'' -> "&#39;";
                case '"' -> "&quot;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '`' -> "&#x60;";
                case '=' -> "&#x3D;";
                case '\\' -> "\\\\";
                case '[' -> "\\[";
                case ']' -> "\\]";
                case '\n', '\r' -> " ";
                default -> null;
            };
            if (out == null && replacement != null) {
                out = new StringBuilder(raw.length() + 16).append(raw, 0, i);
            }
            if (out != null) {
                if (replacement == null) {
                    out.append(c);
                } else {
                    out.append(replacement);
                    if (c == '\r' && i + 1 < raw.length() && raw.charAt(i + 1) == '\n') {
                        i++; // a CRLF line break is one space
                    }
                }
            }
        }
        return out == null ? raw : out.toString();
    }
}
