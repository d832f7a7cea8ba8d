package dev.herald.all;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.herald.gateway.PushGatewayApplication;
import dev.herald.producer.ProducerApiApplication;
import dev.herald.store.NotificationStoreApplication;

/**
 * What one all-in-one JVM runs, read from its command line: which services (in start order), each
 * with its own arguments, and how to start them.
 *
 * <pre>
 *   --gateways=N                    push gateways to run, named gateway-1 … gateway-N [2]
 *   --start=parallel|sequential     start the services together (faster on 2 cores) or one by one [parallel]
 *   --store-thread-priority=P       the Java priority (1-10) of every thread the store starts [5]
 *   --NAME.PROPERTY=VALUE           a Spring property of one service (NAME: producer-api, notification-store, gateway-N)
 *   --PROPERTY=VALUE                a Spring property of every service
 * </pre>
 *
 * Start order is store, producer-api, gateways; they are stopped in reverse, so the gateways close
 * their sessions (1001) first and the store, which only consumes, goes last.
 */
record Plan(List<Part> parts, boolean parallel, int storeThreadPriority) {

    static final String STORE = "notification-store";
    static final String PRODUCER = "producer-api";
    static final String GATEWAY = "gateway-";

    /** One service: a Spring Boot application with its own configuration file and arguments. */
    record Part(String name, Class<?> application, String configName, List<String> args) {
    }

    static Plan parse(String... args) {
        int gateways = 2;
        boolean parallel = true;
        int storePriority = Thread.NORM_PRIORITY;
        List<String> common = new ArrayList<>();
        Map<String, List<String>> own = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.indexOf('=') < 3) {
                throw new IllegalArgumentException("'" + arg + "' is not of the form --[NAME.]PROPERTY=VALUE");
            }
            String key = arg.substring(2, arg.indexOf('='));
            String value = arg.substring(arg.indexOf('=') + 1);
            if (key.equals("gateways")) {
                gateways = number(key, value, 0, 16);
            }
            else if (key.equals("start")) {
                if (!value.equals("parallel") && !value.equals("sequential")) {
                    throw new IllegalArgumentException("--start must be parallel or sequential, not '" + value + "'");
                }
                parallel = value.equals("parallel");
            }
            else if (key.equals("store-thread-priority")) {
                storePriority = number(key, value, Thread.MIN_PRIORITY, Thread.MAX_PRIORITY);
            }
            else if (owner(key) != null) {
                own.computeIfAbsent(owner(key), name -> new ArrayList<>()).add("--" + key.substring(owner(key).length() + 1) + "=" + value);
            }
            else {
                common.add(arg);
            }
        }
        List<Part> parts = new ArrayList<>();
        parts.add(part(STORE, NotificationStoreApplication.class, NotificationStoreApplication.CONFIG_NAME, common, own));
        parts.add(part(PRODUCER, ProducerApiApplication.class, ProducerApiApplication.CONFIG_NAME, common, own));
        for (int i = 1; i <= gateways; i++) {
            parts.add(part(GATEWAY + i, PushGatewayApplication.class, PushGatewayApplication.CONFIG_NAME, common, own));
        }
        if (!own.isEmpty()) {
            throw new IllegalArgumentException("settings for " + String.join(", ", own.keySet()) + ", which is not started (--gateways="
                    + gateways + ")");
        }
        return new Plan(List.copyOf(parts), parallel, storePriority);
    }

    /** The service a {@code NAME.PROPERTY} key is for, or null when the key is a property of all. */
    private static String owner(String key) {
        if (key.startsWith(STORE + ".")) {
            return STORE;
        }
        if (key.startsWith(PRODUCER + ".")) {
            return PRODUCER;
        }
        if (key.startsWith(GATEWAY) && key.indexOf('.') > GATEWAY.length()
                && key.substring(GATEWAY.length(), key.indexOf('.')).chars().allMatch(Character::isDigit)) {
            return key.substring(0, key.indexOf('.'));
        }
        return null;
    }

    private static Part part(String name, Class<?> application, String configName, List<String> common, Map<String, List<String>> own) {
        // One value per key: Spring joins repeated command-line options with commas, so a service's own
        // setting replaces a common one instead of following it.
        Map<String, String> byKey = new LinkedHashMap<>();
        List<String> mine = own.remove(name);
        for (String arg : mine == null ? common : concat(common, mine)) {
            byKey.put(arg.substring(0, arg.indexOf('=')), arg);
        }
        return new Part(name, application, configName, List.copyOf(byKey.values()));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static int number(String key, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        }
        catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + key + " must be a number from " + min + " to " + max + ", not '" + value + "'");
    }
}
