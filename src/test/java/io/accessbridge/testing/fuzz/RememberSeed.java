package io.accessbridge.testing.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Keeps the seed of the last property run ({@code @AddLifecycleHook(RememberSeed.class)}), so
 * that checks made after all tries (in {@code @AfterContainer}) can name it when they fail: jqwik
 * prints the seed only for a failing try.
 */
public final class RememberSeed implements AroundPropertyHook {

    private static volatile String seed = "unknown";

    /** The seed of the last property run with this hook. */
    public static String seed() {
        return seed;
    }

    /**
     * Runs {@code checks}; an assertion that fails names the seed of the last property run, with
     * how to replay it.
     */
    public static void naming(ThrowingRunnable checks) throws Exception {
        try {
            checks.run();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n(after the property run with seed = " + seed
                    + "; replay it with @Property(seed = \"" + seed + "\"))", e);
        }
    }

    /** Checks that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        /** Runs the checks. */
        void run() throws Exception;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        PropertyExecutionResult result = property.execute();
        result.seed().ifPresent(s -> seed = s);
        return result;
    }
}
