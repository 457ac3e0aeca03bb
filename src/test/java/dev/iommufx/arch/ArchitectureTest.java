package dev.iommufx.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.iommufx.engine.Errno;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.KernelEvent;
import dev.iommufx.engine.OpResult;
import dev.iommufx.engine.Profile;
import dev.iommufx.engine.ProfileRule;
import dev.iommufx.engine.trace.Frame;

/**
 * The arrows between the packages, checked on the compiled classes (so a fully qualified name in the code counts
 * as much as an import). Every rule fails when it applies to no class: a renamed package cannot make it pass.
 * <pre>
 *   ui views (root, graph, panels, layout) ──▶ ui.viewmodel ──▶ engine ──▶ model
 *        │                                        │
 *        └──────────▶ io, plan, scenario ◀─────────┘      (scenario, plan, io, cli ──▶ engine ──▶ model)
 * </pre>
 * Views may name the engine's value types (a group's state, an errno, an operation's result and its call path, a
 * kernel profile and its rules, the kernel's events), never the kernel or its objects: they reach the machine only
 * through the view-models.
 */
@AnalyzeClasses(packages = "dev.iommufx", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String ENGINE = "dev.iommufx.engine..";
    private static final String MODEL = "dev.iommufx.model..";
    private static final String IO = "dev.iommufx.io..";
    private static final String SCENARIO = "dev.iommufx.scenario..";
    private static final String PLAN = "dev.iommufx.plan..";
    private static final String CLI = "dev.iommufx.cli..";
    private static final String UI = "dev.iommufx.ui..";
    private static final String VIEW_MODELS = "dev.iommufx.ui.viewmodel..";
    private static final String JAVA = "java..";
    /** The model's device tree is a JGraphT graph, which boot walks. */
    private static final String JGRAPHT = "org.jgrapht..";
    private static final String JAVAFX = "javafx..";
    private static final String CONTROLSFX = "org.controlsfx..";
    private static final String JACKSON = "com.fasterxml..";

    /** The engine's classes a view may name: values that say what happened, not the kernel's objects. */
    private static final DescribedPredicate<JavaClass> ENGINE_VALUE_TYPES = belongToAnyOf(GroupState.class,
            Errno.class, OpResult.class, Frame.class, Profile.class, ProfileRule.class, KernelEvent.class)
            .as("the engine's value types");
    private static final DescribedPredicate<JavaClass> ENGINE_BEYOND_ITS_VALUE_TYPES =
            resideInAPackage(ENGINE).and(not(ENGINE_VALUE_TYPES)).as("are the engine's, other than its value types");

    @ArchTest
    static final ArchRule theEngineUsesTheModelOnly = classes().that().resideInAPackage(ENGINE)
            .should().onlyDependOnClassesThat().resideInAnyPackage(ENGINE, MODEL, JAVA, JGRAPHT)
            .because("the engine is the kernel: no window, file format, scenario or command reaches into it")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule theModelUsesNothingElseOfOurs = classes().that().resideInAPackage(MODEL)
            .should().onlyDependOnClassesThat().resideInAnyPackage(MODEL, JAVA, JGRAPHT)
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule scenariosAndPlansReadNoFilesAndDrawNothing = noClasses()
            .that().resideInAnyPackage(SCENARIO, PLAN)
            .should().dependOnClassesThat().resideInAnyPackage(IO, UI, CLI, JACKSON, JAVAFX, CONTROLSFX)
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule filesAreReadWithoutAWindow = noClasses().that().resideInAPackage(IO)
            .should().dependOnClassesThat().resideInAnyPackage(UI, CLI, PLAN, JAVAFX, CONTROLSFX)
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule theCommandsOpenNoWindow = noClasses().that().resideInAPackage(CLI)
            .should().dependOnClassesThat().resideInAnyPackage(UI, JAVAFX, CONTROLSFX)
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule viewsReachTheEngineOnlyThroughViewModels = noClasses()
            .that().resideInAPackage(UI).and().resideOutsideOfPackage(VIEW_MODELS)
            .should().dependOnClassesThat(ENGINE_BEYOND_ITS_VALUE_TYPES)
            .because("views bind to view-models, which alone talk to the kernel (MVVM)")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule viewModelsDrawNothingAndKnowNoView = noClasses().that().resideInAPackage(VIEW_MODELS)
            .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..", CONTROLSFX,
                    "dev.iommufx.ui", "dev.iommufx.ui.graph..", "dev.iommufx.ui.panels..", "dev.iommufx.ui.layout..")
            .because("view-models hold the state in properties and items; views draw it")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule theStructuralLayoutIsPlainJava = noClasses().that().resideInAPackage("dev.iommufx.layout..")
            .should().dependOnClassesThat().resideInAnyPackage(JAVAFX, "java.awt..", "javax.imageio..", JACKSON,
                    CONTROLSFX, IO, SCENARIO, PLAN, "dev.iommufx.render..", UI, CLI)
            .because("the window, the pictures and the benchmarks lay out the same machine on any thread")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule picturesNeedNoWindow = noClasses().that().resideInAPackage("dev.iommufx.render..")
            .should().dependOnClassesThat().resideInAnyPackage(JAVAFX, JACKSON, CONTROLSFX, SCENARIO, PLAN, UI, CLI)
            .because("render draws with Java2D and writes SVG text, headless")
            .allowEmptyShould(false);

    /** The engine and its sub-packages are one slice: its subsystems call each other as the kernel's do. */
    @ArchTest
    static final ArchRule noCycleBetweenTheTopLevelPackages = slices().matching("dev.iommufx.(*)..")
            .should().beFreeOfCycles().allowEmptyShould(false);

    @ArchTest
    static final ArchRule noCycleBetweenTheWindowsLayers = slices().assignedFrom(new UiLayers())
            .should().beFreeOfCycles().allowEmptyShould(false);

    /** Guards the rules themselves: the import finds every layer's classes, and only the shipped ones. */
    @ArchTest
    static void theImportFindsEveryLayer(JavaClasses classes) {
        assertThat(classes.contain(Kernel.class)).isTrue();
        for (String layer : new String[] {"engine", "engine.base", "engine.pci", "engine.iommu", "engine.vfio",
                "engine.iommufd", "engine.module", "engine.boot", "engine.history", "engine.trace", "model",
                "model.boot", "io", "io.imports", "io.boot", "scenario", "plan", "boot", "layout", "render", "doctor",
                "cli", "ui", "ui.graph", "ui.panels", "ui.layout", "ui.viewmodel"}) {
            assertThat(classes.that(resideInAPackage("dev.iommufx." + layer))).as(layer).isNotEmpty();
        }
        assertThat(classes.that(resideInAPackage("dev.iommufx.arch.."))).as("no test classes").isEmpty();
    }

    /** The window's layers: its root package (the window, menus, dialogs) and each of its sub-packages. */
    static final class UiLayers implements SliceAssignment {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String p = c.getPackageName();
            if (p.equals("dev.iommufx.ui")) {
                return SliceIdentifier.of("ui");
            }
            if (p.startsWith("dev.iommufx.ui.")) {
                return SliceIdentifier.of("ui." + p.substring("dev.iommufx.ui.".length()).split("\\.")[0]);
            }
            return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the window's layers (ui, ui.graph, ui.panels, ui.layout, ui.viewmodel)";
        }
    }
}
