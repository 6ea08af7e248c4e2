package org.pumpcds.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.pumpcds.audit.RuleAnalytics;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Feedback counted per rule, for a period: {@code GET /analytics/rules} and {@code GET /analytics/rules/{ruleId}},
 * JSON, or CSV with {@code format=csv} or {@code Accept: text/csv}. Protected like every path (client JWT).
 */
@RestController
@RequestMapping("/analytics/rules")
class AnalyticsController {

    private static final Duration DEFAULT_PERIOD = Duration.ofDays(30);
    private static final Pattern RULE_ID = Pattern.compile("^[a-z0-9][a-z0-9.\\-]{0,127}$");
    private static final MediaType CSV = new MediaType("text", "csv");
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    /** The answer: the period read and each rule's counts. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Report(Instant from, Instant to, List<RuleAnalytics.RuleCounts> rules) {
    }

    private final RuleAnalytics analytics;

    AnalyticsController(RuleAnalytics analytics) {
        this.analytics = analytics;
    }

    @GetMapping
    ResponseEntity<?> rules(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String format, @RequestHeader(value = "Accept", required = false) String accept) {
        return answer(report(from, to, null), format, accept);
    }

    @GetMapping("/{ruleId}")
    ResponseEntity<?> rule(@PathVariable String ruleId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String format,
            @RequestHeader(value = "Accept", required = false) String accept) {
        if (!RULE_ID.matcher(ruleId).matches()) {
            throw CdsRequestException.invalid("ruleId", "a rule id is lower-case letters, digits, dots and hyphens"
                    + " (for example ma-2024-02.documentation)");
        }
        Report report = report(from, to, ruleId);
        if (report.rules().isEmpty()) {
            // not shown in the period: every count is zero
            report = new Report(report.from(), report.to(), List.of(new RuleAnalytics.RuleCounts(ruleId, 0, 0, 0, 0, 0, 0,
                    List.of(), List.of())));
        }
        return answer(report, format, accept);
    }

    private Report report(String fromParam, String toParam, String ruleId) {
        Instant to = toParam == null ? Instant.now() : instant("to", toParam, true);
        Instant from = fromParam == null ? to.minus(DEFAULT_PERIOD) : instant("from", fromParam, false);
        if (!from.isBefore(to)) {
            throw CdsRequestException.invalid("from", "from must be before to");
        }
        return new Report(from, to, analytics.rules(from, to, ruleId));
    }

    /** An instant, or a date (UTC): from its start, or for {@code to} through its end; years 1970 to 9999. */
    private static Instant instant(String name, String value, boolean endOfDay) {
        Instant instant;
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                instant = (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            } else {
                instant = Instant.parse(value);
            }
        } catch (DateTimeParseException e) {
            throw CdsRequestException.invalid(name, name + " must be a date (2026-11-01) or an instant (2026-11-01T00:00:00Z)");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw CdsRequestException.invalid(name, name + " must fall in the years 1970 to 9999");
        }
        return instant;
    }

    private static ResponseEntity<?> answer(Report report, String format, String accept) {
        boolean csv = "csv".equalsIgnoreCase(format) || (format == null && accept != null && accept.contains("text/csv"));
        if (format != null && !csv && !"json".equalsIgnoreCase(format)) {
            throw CdsRequestException.invalid("format", "format is json or csv");
        }
        if (!csv) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(report);
        }
        StringBuilder out = new StringBuilder("rule_id,shown,accepted,overridden,ignored,overridden_without_reason,"
                + "comments,override_reasons,accepted_suggestions\r\n");
        for (RuleAnalytics.RuleCounts rule : report.rules()) {
            out.append(String.join(",", cell(rule.ruleId()), String.valueOf(rule.shown()), String.valueOf(rule.accepted()),
                    String.valueOf(rule.overridden()), String.valueOf(rule.ignored()),
                    String.valueOf(rule.overriddenWithoutReason()), String.valueOf(rule.comments()),
                    cell(rule.overrideReasons().stream().map(r -> neutral(r.code()) + "=" + r.cards()).collect(Collectors.joining("; "))),
                    cell(rule.acceptedSuggestions().stream().map(s -> neutral(s.label()) + "=" + s.accepted())
                            .collect(Collectors.joining("; "))))).append("\r\n");
        }
        return ResponseEntity.ok().contentType(new MediaType(CSV, java.nio.charset.StandardCharsets.UTF_8))
                .header("Content-Disposition", "attachment; filename=\"rule-analytics.csv\"").body(out.toString());
    }

    /** Every text cell quoted (RFC 4180), and neutral: a spreadsheet never runs one as a formula. */
    private static String cell(String value) {
        return "\"" + neutral(value).replace("\"", "\"\"") + "\"";
    }

    /** Text starting with = + - @ tab or a line break (or such after whitespace) gets a leading apostrophe. */
    private static String neutral(String value) {
        String start = value.stripLeading();
        return !start.isEmpty() && "=+-@\t\r\n".indexOf(start.charAt(0)) >= 0 || !value.isEmpty()
                && Character.isWhitespace(value.charAt(0)) ? "'" + value : value;
    }
}
