package ai.continuum.engine.store;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Build step (engine/pom.xml, phase {@code process-classes}): compiles the Chronicle Values implementation classes
 * the engine's dictionaries use into the engine's classes, so that no process compiles them at run time.
 *
 * <p>Why: Chronicle Values implements a value interface ({@code IntValue}, the map's own {@code
 * VanillaGlobalMutableState}) by generating Java source and compiling it with the JDK's compiler, in process, the
 * first time the class is needed. That loaded about a thousand compiler classes and took 5-10 s of a 20 s CLI start
 * on a busy machine, and since the classes are defined at run time, no AOT or CDS cache can hold them. Chronicle
 * looks the implementation class up by name on the interface's class loader before it generates one ({@code
 * ValueModel.createClass}); classes compiled here, from the source Chronicle itself generates, in the engine jar on the
 * same class path, are found and used, and generation never starts.
 *
 * <p>The sources come from Chronicle's own generator of the version on the class path ({@code
 * Generators.generateNativeClass}/{@code generateHeapClass}, package-private, called reflectively), so an upgrade of
 * Chronicle regenerates them. {@code ValueClassPrecompilerTest} fails when an implementation the engine needs is not
 * the precompiled one.
 */
public final class ValueClassPrecompiler {
    /** Value interfaces and which implementations of each the engine needs (native: off-heap flyweight; heap). */
    private static final List<Needed> NEEDED = List.of(
            new Needed("net.openhft.chronicle.core.values.IntValue", true, true),
            new Needed("net.openhft.chronicle.hash.VanillaGlobalMutableState", true, false));

    private record Needed(String interfaceName, boolean nativeImpl, boolean heapImpl) {}

    private ValueClassPrecompiler() {}

    /**
     * Generates and compiles the classes.
     *
     * @param args the class output directory (the engine's target/classes), then the Java release to compile for.
     */
    public static void main(final String[] args) throws ReflectiveOperationException, IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ValueClassPrecompiler CLASS_OUTPUT_DIR RELEASE");
        }
        final Path out = Path.of(args[0]);
        final List<JavaFileObject> sources = new ArrayList<>();
        for (final Needed needed : NEEDED) {
            if (needed.nativeImpl()) {
                sources.add(source(needed.interfaceName(), "generateNativeClass", "$$Native"));
            }
            if (needed.heapImpl()) {
                sources.add(source(needed.interfaceName(), "generateHeapClass", "$$Heap"));
            }
        }
        compile(sources, out, args[1]);
        System.out.println(
                "ValueClassPrecompiler: " + sources.size() + " Chronicle Values classes compiled into " + out);
    }

    /** The source Chronicle Values generates for one implementation of {@code interfaceName}. */
    private static JavaFileObject source(final String interfaceName, final String generator, final String suffix)
            throws ReflectiveOperationException {
        final Class<?> valueInterface = Class.forName(interfaceName);
        final Class<?> modelClass = Class.forName("net.openhft.chronicle.values.ValueModel");
        final Object model = modelClass.getMethod("acquire", Class.class).invoke(null, valueInterface);
        final Method simpleName = modelClass.getDeclaredMethod("simpleName");
        simpleName.setAccessible(true);
        final String className = simpleName.invoke(model) + suffix;
        final Method generate = Class.forName("net.openhft.chronicle.values.Generators")
                .getDeclaredMethod(generator, modelClass, String.class);
        generate.setAccessible(true);
        final String code;
        try {
            code = (String) generate.invoke(null, model, className);
        } catch (final InvocationTargetException e) {
            throw new IllegalStateException("Chronicle Values could not generate " + className, e.getCause());
        }
        final String qualified = valueInterface.getPackageName() + "." + className;
        return new SimpleJavaFileObject(
                URI.create("string:///" + qualified.replace('.', '/') + JavaFileObject.Kind.SOURCE.extension),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(final boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }

    /**
     * Compiles against this process's class path. Warnings are expected (the heap classes use {@code
     * sun.misc.Unsafe} as Chronicle generates them) and are not ours to fix; errors fail the build.
     */
    private static void compile(final List<JavaFileObject> sources, final Path out, final String release)
            throws IOException {
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this runtime; build with a JDK");
        }
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            final List<String> options = List.of(
                    "-d",
                    out.toString(),
                    "-classpath",
                    System.getProperty("java.class.path"),
                    "--release",
                    release,
                    "-proc:none",
                    "-nowarn",
                    "-g");
            final boolean ok = javac.getTask(null, files, diagnostics, options, null, sources)
                    .call();
            final List<String> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> d.getSource() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                    .toList();
            if (!ok || !errors.isEmpty()) {
                throw new IllegalStateException("compiling the Chronicle Values classes failed: " + errors);
            }
        }
    }
}
