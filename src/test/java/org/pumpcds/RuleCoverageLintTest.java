package org.pumpcds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Lints the rule coverage matrix in knowledge/README.md against the domain reference: every rule id of
 * ../shared/domain.md section 1 has exactly one row, and each row's criteria and scenarios exist and agree.
 */
class RuleCoverageLintTest {

    private static final Path DOMAIN = Path.of("../shared/domain.md");
    // domain.md lives outside the repository; the copy keeps the lint working where it is absent (CI, clones).
    private static final Path ID_COPY = Path.of("knowledge/domain-rule-ids.txt");
    private static final Path README = Path.of("knowledge/README.md");
    private static final Path POLICIES = Path.of("knowledge/policies");
    private static final Path SCENARIOS = Path.of("src/test/resources/scenarios");
    private static final String SECTION = "## Rule coverage";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static final Set<String> STATUSES = Set.of("encoded", "partly encoded", "declined");
    private static final Pattern RULE_ROW = Pattern.compile("^\\| ((?:MA|ANT|AZ|CMS|UT|LBL)-\\d{2}) \\|");
    private static final Pattern POLICY_REFERENCE = Pattern.compile("^([a-z0-9.-]+\\.yaml):\\s*(.+)$");
    private static final Pattern COUNTS = Pattern.compile(
            "^Counts: (\\d+) encoded / (\\d+) partly encoded / (\\d+) declined\\.$");

    /** One table row; {@code line} is its 1-based line in the README, for failure messages. */
    private record Row(int line, String rule, String status, String where, List<String> scenarios, String note) {

        String at() {
            return README + ":" + line + " (" + rule + ")";
        }
    }

    /** Rule ids from the rule-table rows of section 1 (up to section 2, where code-set tables begin). */
    private static List<String> domainIds(List<String> lines) {
        List<String> ids = new ArrayList<>();
        boolean inSection1 = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inSection1 = line.startsWith("## 1.");
            }
            Matcher row = RULE_ROW.matcher(line);
            if (inSection1 && row.find()) {
                ids.add(row.group(1));
            }
        }
        return ids;
    }

    private static List<String> committedIds() throws IOException {
        return Files.readAllLines(ID_COPY).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static List<String> ruleIds() throws IOException {
        return Files.exists(DOMAIN) ? domainIds(Files.readAllLines(DOMAIN)) : committedIds();
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) {
            cells.add(cell.replace("`", "").strip());
        }
        return cells;
    }

    private static List<String> list(String cell, String separator) {
        if (cell.equals("-")) {
            return List.of();
        }
        return Stream.of(cell.split(separator)).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The README lines of the Rule coverage section, up to the next heading. */
    private static List<String> sectionLines(List<String> readme) {
        int start = readme.indexOf(SECTION);
        assertThat(start).as(README + " has no \"" + SECTION + "\" section").isNotNegative();
        int end = start + 1;
        while (end < readme.size() && !readme.get(end).startsWith("#")) {
            end++;
        }
        return readme.subList(start, end);
    }

    private static List<Row> rows() throws IOException {
        List<String> readme = Files.readAllLines(README);
        int offset = readme.indexOf(SECTION);
        List<String> section = sectionLines(readme);
        List<Row> rows = new ArrayList<>();
        boolean header = true;
        for (int i = 0; i < section.size(); i++) {
            String line = section.get(i);
            if (!line.startsWith("|") || line.matches("^\\|[\\s:|-]+\\|?$")) {
                continue;
            }
            int lineNumber = offset + i + 1;
            List<String> cells = cells(line);
            if (header) {
                assertThat(cells).as(README + ":" + lineNumber + " table header")
                        .containsExactly("Rule", "Status", "Where", "Scenario", "Why / note");
                header = false;
                continue;
            }
            assertThat(cells).as(README + ":" + lineNumber + " needs 5 cells (no '|' inside a cell): " + line).hasSize(5);
            rows.add(new Row(lineNumber, cells.get(0), cells.get(1), cells.get(2), list(cells.get(3), ","), cells.get(4)));
        }
        assertThat(rows).as(README + " Rule coverage table has no rows").isNotEmpty();
        return rows;
    }

    /** Criterion ids by policy file name, from criteria[].id of every knowledge/policies/*.yaml. */
    private static Map<String, Set<String>> criteriaByFile() throws IOException {
        Map<String, Set<String>> byFile = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(POLICIES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                Set<String> ids = new LinkedHashSet<>();
                YAML.readTree(Files.readString(file)).path("criteria").forEach(c -> ids.add(c.path("id").asString()));
                byFile.put(file.getFileName().toString(), ids);
            }
        }
        return byFile;
    }

    /** Scenario folders by name, across hooks (names are unique by their numeric prefix). */
    private static Map<String, Path> scenarioFolders() throws IOException {
        Map<String, Path> folders = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(SCENARIOS, 2)) {
            walk.filter(p -> p.getNameCount() == SCENARIOS.getNameCount() + 2 && Files.isDirectory(p))
                    .forEach(p -> folders.put(p.getFileName().toString(), p));
        }
        return folders;
    }

    /**
     * The criterion ids a row's Where cell names ("file.yaml: id, id; file.yaml: id"); each one that is not a
     * criterion of that policy file goes to {@code problems}.
     */
    private static List<String> criteria(Row row, Map<String, Set<String>> byFile, List<String> problems) {
        List<String> ids = new ArrayList<>();
        for (String part : list(row.where(), ";")) {
            Matcher reference = POLICY_REFERENCE.matcher(part);
            if (!reference.matches()) {
                problems.add(row.at() + ": Where must read \"<policy file>.yaml: <criterion id>, ...\", got \"" + part + "\"");
                continue;
            }
            String file = reference.group(1);
            if (!byFile.containsKey(file)) {
                problems.add(row.at() + ": no policy file " + POLICIES.resolve(file));
                continue;
            }
            for (String id : list(reference.group(2), ",")) {
                if (byFile.get(file).contains(id)) {
                    ids.add(id);
                } else {
                    problems.add(row.at() + ": " + POLICIES.resolve(file) + " has no criterion " + id);
                }
            }
        }
        return ids;
    }

    private static Set<String> ruleIdsIn(Path expected) throws IOException {
        JsonNode root = JSON.readTree(Files.readString(expected));
        Set<String> ids = new LinkedHashSet<>();
        root.path("cards").forEach(card -> card.path("findings").forEach(f -> ids.add(f.path("ruleId").asString())));
        return ids;
    }

    @Test
    void committedIdListIsAnExactCopyOfDomainMd() throws IOException {
        if (!Files.exists(DOMAIN)) {
            System.err.println("SKIPPED RuleCoverageLintTest: " + DOMAIN.toAbsolutePath() + " not present; "
                    + ID_COPY + " stands in for its rule ids");
        }
        Assumptions.assumeTrue(Files.exists(DOMAIN), DOMAIN + " not present; the committed copy stands in");
        List<String> fromDomain = domainIds(Files.readAllLines(DOMAIN));
        assertThat(fromDomain).as(DOMAIN + " section 1 has no rule rows").isNotEmpty();
        assertThat(committedIds()).as(ID_COPY + " must list exactly the rule ids of " + DOMAIN + " section 1, in order")
                .containsExactlyElementsOf(fromDomain);
    }

    @Test
    void everyDomainRuleHasExactlyOneRowAndNoRowIsStray() throws IOException {
        List<String> ids = ruleIds();
        assertThat(ids).as("rule ids (" + DOMAIN + " or " + ID_COPY + ")").isNotEmpty().doesNotHaveDuplicates();
        List<Row> rows = rows();
        List<String> problems = new ArrayList<>();
        for (String id : ids) {
            List<Integer> lines = rows.stream().filter(r -> r.rule().equals(id)).map(Row::line).toList();
            if (lines.size() != 1) {
                problems.add(README + " Rule coverage: rule " + id + " needs exactly one row, found " + lines.size()
                        + (lines.isEmpty() ? "" : " (lines " + lines + ")"));
            }
        }
        rows.stream().filter(r -> !ids.contains(r.rule()))
                .forEach(r -> problems.add(r.at() + ": not a rule id of " + DOMAIN + " section 1"));
        assertThat(problems).isEmpty();
    }

    @Test
    void everyRowHasAKnownStatusAndSaysWhyWhenNotFullyEncoded() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Row row : rows()) {
            if (!STATUSES.contains(row.status())) {
                problems.add(row.at() + ": Status must be one of " + STATUSES + ", got \"" + row.status() + "\"");
            } else if (!row.status().equals("encoded") && (row.note().isBlank() || row.note().equals("-"))) {
                problems.add(row.at() + ": a " + row.status() + " row needs a reason in Why / note");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void whereNamesExistingCriteriaOnlyForEncodedRules() throws IOException {
        Map<String, Set<String>> byFile = criteriaByFile();
        List<String> problems = new ArrayList<>();
        for (Row row : rows()) {
            List<String> criteria = criteria(row, byFile, problems);
            if (row.status().equals("declined") && !row.where().equals("-")) {
                problems.add(row.at() + ": a declined rule names no criterion (Where: -)");
            } else if (!row.status().equals("declined") && criteria.isEmpty()) {
                problems.add(row.at() + ": status \"" + row.status() + "\" needs at least one criterion id of " + POLICIES);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyNamedScenarioExistsAndAssertsOneOfTheRowsCriteria() throws IOException {
        Map<String, Set<String>> byFile = criteriaByFile();
        Map<String, Path> folders = scenarioFolders();
        List<String> problems = new ArrayList<>();
        for (Row row : rows()) {
            // unknown criteria are whereNamesExistingCriteriaOnlyForEncodedRules' to report
            List<String> criteria = criteria(row, byFile, new ArrayList<>());
            if (row.status().equals("encoded") && row.scenarios().isEmpty()) {
                problems.add(row.at() + ": an encoded rule needs a scenario that exercises it");
            }
            for (String scenario : row.scenarios()) {
                if (!folders.containsKey(scenario)) {
                    problems.add(row.at() + ": no scenario folder " + scenario + " under " + SCENARIOS);
                    continue;
                }
                Path expected = folders.get(scenario).resolve("expected.json");
                // a scenario that asserts none of the row's criteria does not exercise this rule
                if (!criteria.isEmpty() && Collections.disjoint(ruleIdsIn(expected), criteria)) {
                    problems.add(row.at() + ": " + expected + " lists none of " + criteria);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void countsLineMatchesTheTable() throws IOException {
        List<Row> rows = rows();
        Matcher counts = sectionLines(Files.readAllLines(README)).stream().map(COUNTS::matcher).filter(Matcher::matches)
                .findFirst().orElseThrow(() -> new AssertionError(README + " Rule coverage: no line \"Counts: N encoded / "
                        + "N partly encoded / N declined.\""));
        List<String> inLineOrder = List.of("encoded", "partly encoded", "declined");
        for (int i = 0; i < inLineOrder.size(); i++) {
            String status = inLineOrder.get(i);
            long actual = rows.stream().filter(r -> r.status().equals(status)).count();
            assertThat(Long.parseLong(counts.group(i + 1))).as(README + " Rule coverage: count of " + status + " rows")
                    .isEqualTo(actual);
        }
    }
}
