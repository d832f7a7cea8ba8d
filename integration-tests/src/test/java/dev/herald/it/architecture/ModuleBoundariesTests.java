package dev.herald.it.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module boundaries, checked on the compiled classes of every module (all of them are on this
 * module's classpath): the services that are on the real-time path never reach the store's database
 * access, {@code common-schema} stays a plain jar that every module can take, and herald-all starts
 * the services through their application classes only.
 * (A rule whose subjects are missing fails rather than passing empty.)
 */
@AnalyzeClasses(packages = "dev.herald", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTests {

    @ArchTest
    static final ArchRule producerApiAndGatewaysNeverTouchTheStoresDatabase = noClasses()
            .that().resideInAnyPackage("dev.herald.producer..", "dev.herald.gateway..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.herald.store..", "org.springframework.jdbc..", "javax.sql..", "java.sql..", "org.flywaydb..")
            .because("producer-api and push-gateway work from Kafka alone; the inbox database is notification-store's");

    @ArchTest
    static final ArchRule commonSchemaDependsOnNoServiceAndNotOnSpring = noClasses()
            .that().resideInAPackage("dev.herald.schema..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.herald.producer..", "dev.herald.store..", "dev.herald.gateway..", "dev.herald.support..",
                    "org.springframework..")
            .because("common-schema is a plain jar (STYLE.md rule 2) that every module, and any client, can use");

    @ArchTest
    static final ArchRule theOneProcessLauncherUsesOnlyTheServicesApplicationClasses = noClasses()
            .that().resideInAPackage("dev.herald.all..")
            .should().dependOnClassesThat(resideInAnyPackage("dev.herald.producer..", "dev.herald.store..", "dev.herald.gateway..")
                    .and(not(simpleNameEndingWith("Application"))))
            .because("herald-all runs each service as its own JVM would, through its public application class and config name");
}
