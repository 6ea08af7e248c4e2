package org.pumpcds;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering: rules are pure functions of the record, orders and knowledge, so the rule packages (coverage,
 * compounding) know nothing of Spring, of the HTTP layer or of each other, and cards know no rules; the engine, which
 * both hosts (the standalone service and the HAPI plug-in) call, knows no host. The shared packages below them reach up
 * to none of these.
 */
class ArchitectureTest {

    private static final String[] RULES = {"org.pumpcds.coverage..", "org.pumpcds.compounding.."};
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.pumpcds");
    }

    @Test
    void rulePackagesUseNeitherSpringNorTheHttpLayer() {
        noClasses().that().resideInAnyPackage(RULES).should().dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "org.pumpcds.hooks..", "org.pumpcds.config..", "jakarta.servlet..")
                .check(classes);
    }

    @Test
    void rulePackagesDoNotReachIntoEachOther() {
        noClasses().that().resideInAPackage("org.pumpcds.coverage..").should().dependOnClassesThat()
                .resideInAPackage("org.pumpcds.compounding..").check(classes);
        noClasses().that().resideInAPackage("org.pumpcds.compounding..").should().dependOnClassesThat()
                .resideInAPackage("org.pumpcds.coverage..").check(classes);
    }

    @Test
    void theEngineKnowsNoHost() {
        noClasses().that().resideInAPackage("org.pumpcds.engine..").should().dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "org.pumpcds.hooks..", "org.pumpcds.config..", "jakarta.servlet..")
                .check(classes);
    }

    @Test
    void cardsKnowNoRules() {
        noClasses().that().resideInAPackage("org.pumpcds.cards..").should().dependOnClassesThat().resideInAnyPackage(RULES)
                .check(classes);
    }

    @Test
    void sharedPackagesReachUpToNoRuleNorTheHttpLayer() {
        noClasses().that().resideInAnyPackage("org.pumpcds.knowledge..", "org.pumpcds.findings..", "org.pumpcds.preparation..",
                        "org.pumpcds.orders..", "org.pumpcds.terminology..", "org.pumpcds.vitals..", "org.pumpcds.api..",
                        "org.pumpcds.cards..", "org.pumpcds.feedback..", "org.pumpcds.prefetch..", "org.pumpcds.net..")
                .should().dependOnClassesThat().resideInAnyPackage("org.pumpcds.coverage..", "org.pumpcds.compounding..",
                        "org.pumpcds.hooks..", "org.pumpcds.config..", "org.springframework..")
                .check(classes);
    }
}
