package org.pumpcds.cards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Order and record text stays text in a card's markdown detail. */
class MarkdownTextTest {

    /** What the escaping means, said as replacements made one after another (the first wins where they overlap). */
    private static String replacedInTurn(String raw) {
        String[][] pairs = {{"&", "&amp;"}, {"'", "&#39;"}, {"\"", "&quot;"}, {"<", "&lt;"}, {">", "&gt;"},
                {"`", "&#x60;"}, {"=", "&#x3D;"}, {"\\", "\\\\"}, {"[", "\\["}, {"]", "\\]"}, {"\r\n", " "}, {"\n", " "},
                {"\r", " "}};
        String text = raw;
        for (String[] pair : pairs) {
            text = text.replace(pair[0], pair[1]);
        }
        return text;
    }

    @Test
    void markupLinksAndLineBreaksBecomeText() {
        assertThat(MarkdownText.ESCAPER.escape("Baclofen\r\n# Approved [Verify](https://evil.example) <b>x</b> a=b `c` \\ 'q' \"d\" &"))
                .isEqualTo("Baclofen # Approved \\[Verify\\](https://evil.example) &lt;b&gt;x&lt;/b&gt; a&#x3D;b &#x60;c&#x60; \\\\ &#39;q&#39; &quot;d&quot; &amp;");
        assertThat(MarkdownText.ESCAPER.escape("\r\r\n\n")).isEqualTo("   ");
        String plain = "baclofen 2000 mcg/mL";
        assertThat(MarkdownText.ESCAPER.escape(plain)).isSameAs(plain);
    }

    @Test
    void oneCharacterAtATimeEscapesAsTheReplacementsInTurnWould() {
        String alphabet = "&'\"<>`=\\[]\r\nab #!()*_-";
        Random random = new Random(42);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder raw = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                raw.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(MarkdownText.ESCAPER.escape(raw.toString())).as(raw.toString()).isEqualTo(replacedInTurn(raw.toString()));
        }
    }
}
