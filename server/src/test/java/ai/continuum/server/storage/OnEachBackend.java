package ai.continuum.server.storage;

import static org.junit.jupiter.api.Named.named;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Runs a storage test once per backend, SQLite and PostgreSQL, each time with a fresh, empty {@link TestDatabase} as
 * its first parameter (or a fresh one already at the current schema, with {@link #migrated}). Each database is created
 * just before its run and closed (a PostgreSQL schema dropped or, when migrated, emptied for the next test; a SQLite
 * directory deleted) when the test method has run on both.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@ArgumentsSource(OnEachBackend.Databases.class)
public @interface OnEachBackend {
    /**
     * Whether each database is handed over already at the current schema ({@link TestDatabase#createMigrated}), for
     * tests of what a store does with its data rather than of migrating it; by default each is empty.
     */
    boolean migrated() default false;

    /** One fresh database per backend, created as the run needs it, closed with the test method's context. */
    final class Databases implements ArgumentsProvider {
        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Databases.class);

        @Override
        public Stream<? extends Arguments> provideArguments(final ExtensionContext context) {
            final boolean migrated = context.getRequiredTestMethod()
                    .getAnnotation(OnEachBackend.class)
                    .migrated();
            return Arrays.stream(TestDatabase.Backend.values()).map(backend -> {
                final TestDatabase db = migrated ? TestDatabase.createMigrated(backend) : TestDatabase.create(backend);
                context.getStore(NAMESPACE).put(db, (ExtensionContext.Store.CloseableResource) db::close);
                return Arguments.of(named(backend.name(), db));
            });
        }
    }
}
