package org.pumpcds.cards;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a Mustache template reads, each with the sections around it, so a lint can hold templates to the facts
 * their rules provide.
 */
public record TemplateVariables(List<Use> uses) {

    /** A section around a use: {@code {{#name}}} (rendered when the fact is true or a list), or {@code {{^name}}} (inverted). */
    public record Section(String name, boolean inverted) {
    }

    /**
     * One name as the template reads it.
     *
     * @param name     its first part ({@code policy} for {@code policy.label})
     * @param sections the enclosing sections, outermost first
     * @param section  read as a section ({@code {{#name}}} or {@code {{^name}}}): absent reads as false
     */
    public record Use(String name, List<Section> sections, boolean section) {
    }

    private static final Pattern TAG = Pattern.compile("\\{\\{(\\{?)\\s*([#^/&]?)\\s*([A-Za-z][A-Za-z0-9.]*)\\s*}?}}");

    public static TemplateVariables of(String... texts) {
        List<Use> uses = new ArrayList<>();
        for (String text : texts) {
            if (text == null) {
                continue;
            }
            Deque<Section> open = new ArrayDeque<>();
            Matcher tag = TAG.matcher(text);
            while (tag.find()) {
                String kind = tag.group(2);
                String name = tag.group(3).split("\\.")[0];
                if (kind.equals("/")) {
                    if (open.isEmpty() || !name.equals(open.peekLast().name())) {
                        throw new IllegalStateException("section " + name + " closed but "
                                + (open.isEmpty() ? "none" : open.peekLast().name()) + " is open");
                    }
                    open.removeLast();
                    continue;
                }
                boolean section = kind.equals("#") || kind.equals("^");
                uses.add(new Use(name, List.copyOf(open), section));
                if (section) {
                    open.addLast(new Section(name, kind.equals("^")));
                }
            }
            if (!open.isEmpty()) {
                throw new IllegalStateException("section " + open.peekLast().name() + " is never closed");
            }
        }
        return new TemplateVariables(List.copyOf(uses));
    }
}
