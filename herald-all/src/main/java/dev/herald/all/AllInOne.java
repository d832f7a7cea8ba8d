package dev.herald.all;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;

/**
 * {@code herald all-in-one}: producer-api, notification-store and the push gateways as separate
 * Spring contexts in one JVM, each with its own configuration file, port and arguments (see
 * {@link Plan}). One JIT, one heap and fewer threads than a JVM per service, for small installs and
 * the local stack.
 *
 * <p>Invariants: every service is started through its public application class and config name
 * only; if one fails to start, the JVM exits with status 1 after closing the others, naming the one
 * that failed; on SIGTERM or Ctrl-C the services are closed one by one in reverse start order (the
 * gateways first, closing their sessions with 1001, the store last), each as its own JVM would.
 */
public final class AllInOne {

    private final Plan plan;
    /** The contexts started, in plan order (null until that part is up); closed in reverse. */
    private final ConfigurableApplicationContext[] contexts;
    private boolean stopped;

    private AllInOne(Plan plan) {
        this.plan = plan;
        this.contexts = new ConfigurableApplicationContext[plan.parts().size()];
    }

    public static void main(String[] args) {
        Plan plan;
        try {
            plan = Plan.parse(args);
        }
        catch (IllegalArgumentException e) {
            say(e.getMessage());
            System.exit(2);
            return;
        }
        initializeLogging();
        AllInOne all = new AllInOne(plan);
        Runtime.getRuntime().addShutdownHook(new Thread(all::stop, "herald-all-stop"));
        if (!all.start()) {
            System.exit(1);
        }
    }

    /**
     * Sets Spring Boot's logging system up once, before the services start: each context's start
     * sets it up unless it already is, and several starting at once race (every line then written
     * once per context, or a ConcurrentModificationException that ends a start).
     */
    private static void initializeLogging() {
        LoggingSystem logging = LoggingSystem.get(AllInOne.class.getClassLoader());
        logging.beforeInitialize();
        logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
    }

    /** Starts every part; true when all are up. On a failure the others are closed again. */
    private boolean start() {
        long started = System.nanoTime();
        List<Plan.Part> parts = plan.parts();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            int index = i;
            Plan.Part part = parts.get(i);
            CompletableFuture<Void> future = new CompletableFuture<>();
            Thread thread = new Thread(group(part), () -> {
                try {
                    ConfigurableApplicationContext context = run(part);
                    synchronized (this) {
                        contexts[index] = context;
                    }
                    say(part.name() + " is up on port " + port(context) + " after " + seconds(started) + " s");
                    future.complete(null);
                }
                catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(part.name());
                    }
                    // Say which one at once, even while the others are still starting; Spring has logged the cause.
                    say(part.name() + " failed to start: " + rootCause(e) + "; stopping the others");
                    future.completeExceptionally(e);
                }
            }, "herald-all-start-" + part.name());
            thread.start();
            if (!plan.parallel()) {
                future.exceptionally(e -> null).join();
                if (!failures.isEmpty()) {
                    break;
                }
            }
            running.add(future);
        }
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        }
        catch (CompletionException e) {
            // Wait for the ones still starting (a refresh cannot be cut short), then close them all.
            running.forEach(f -> f.exceptionally(ignored -> null).join());
        }
        if (!failures.isEmpty()) {
            stop();
            say("not started: " + String.join(", ", failures) + " failed");
            return false;
        }
        say("all " + parts.size() + " services are up after " + seconds(started) + " s");
        return true;
    }

    private ConfigurableApplicationContext run(Plan.Part part) {
        SpringApplication app = new SpringApplication(part.application());
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("spring.config.name", part.configName());
        // The launcher closes the contexts itself, in order; Spring's hook would close them all at once
        // and stop the logging system while they still log.
        defaults.put("logging.register-shutdown-hook", "false");
        // One logging system serves every context: the name the last one set would label all lines.
        defaults.put("logging.include-application-name", "false");
        app.setDefaultProperties(defaults);
        app.setRegisterShutdownHook(false);
        return app.run(part.args().toArray(String[]::new));
    }

    /**
     * The thread group the part starts in. Threads inherit their creator's group, and no thread of it
     * can have a priority above the group's maximum: so every thread the store creates (its Kafka
     * consumers, its web server's) runs at {@link Plan#storeThreadPriority()}, the one-JVM
     * counterpart of running the store's JVM at a higher nice value.
     */
    private ThreadGroup group(Plan.Part part) {
        ThreadGroup group = new ThreadGroup(part.name());
        if (part.name().equals(Plan.STORE)) {
            group.setMaxPriority(plan.storeThreadPriority());
        }
        return group;
    }

    /** Closes what was started, last first; idempotent (the failure path and the shutdown hook both call it). */
    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        for (int i = contexts.length - 1; i >= 0; i--) {
            if (contexts[i] != null) {
                String name = plan.parts().get(i).name();
                long started = System.nanoTime();
                try {
                    contexts[i].close();
                    say(name + " stopped in " + seconds(started) + " s");
                }
                catch (RuntimeException e) {
                    say(name + " did not stop cleanly: " + rootCause(e));
                }
            }
        }
    }

    /** The public port: producer-api's own server publishes it, the others' is the web server's. */
    private static String port(ConfigurableApplicationContext context) {
        String producer = context.getEnvironment().getProperty("local.herald.producer.port");
        if (producer != null) {
            return producer;
        }
        return context instanceof WebServerApplicationContext web ? Integer.toString(web.getWebServer().getPort()) : "?";
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static String seconds(long since) {
        return String.format("%.1f", (System.nanoTime() - since) / 1e9);
    }

    /** The launcher's own lines, on stdout beside the services' logs; ./herald reads "is up" and "failed". */
    private static void say(String line) {
        System.out.println("herald-all: " + line);
    }
}
