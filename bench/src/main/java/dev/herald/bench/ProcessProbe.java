package dev.herald.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The local stack's processes, found by their command lines ({@code kafka.Kafka}, the services'
 * {@code *-exec.jar}, or {@code herald-all-*-exec.jar} with all of them in one JVM), and their CPU
 * time and RSS from {@code /proc}. Processes that are not there
 * (the in-JVM test stack) are simply absent; the generator itself is always listed as {@code bench}.
 */
final class ProcessProbe {

    // herald-all (all services in one JVM) names each service's port with its prefix: --producer-api.server.port=
    private static final Pattern PORT = Pattern.compile("--(?:[a-z0-9-]+\\.)?server\\.port=(\\d+)");
    private static final Pattern BOOTSTRAP = Pattern.compile("--spring\\.kafka\\.bootstrap-servers=[^ ,]*:(\\d+)");
    private static final Pattern CONFIG = Pattern.compile("kafka\\.Kafka (\\S+\\.properties)");
    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

    record Sample(String name, long pid, long cpuTicks, long rssKiB, long atNanos) {
    }

    private final Map<String, Long> pids;

    private ProcessProbe(Map<String, Long> pids) {
        this.pids = pids;
    }

    /**
     * The stack's processes. The machine may run several stacks: services are taken only when their
     * {@code --server.port} is one of {@code servicePorts}, and Kafka only when its
     * {@code server.properties} listens on the port those services bootstrap from.
     */
    static ProcessProbe discover(Set<Integer> servicePorts) {
        Map<String, Long> found = new LinkedHashMap<>();
        List<String[]> brokers = new ArrayList<>(); // pid, command line
        String kafkaPort = null;
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String cmdline;
                try {
                    cmdline = Files.readString(entry.resolve("cmdline"), StandardCharsets.UTF_8).replace('\0', ' ');
                }
                catch (IOException | RuntimeException ex) {
                    continue; // gone, or not ours to read
                }
                String role = role(cmdline);
                if (role == null) {
                    continue;
                }
                if (role.equals("kafka")) {
                    brokers.add(new String[] {name, cmdline});
                    continue;
                }
                Matcher port = PORT.matcher(cmdline);
                if (port.find() && !servicePorts.contains(Integer.parseInt(port.group(1)))) {
                    continue; // another stack's
                }
                found.putIfAbsent(role, Long.parseLong(name));
                Matcher bootstrap = BOOTSTRAP.matcher(cmdline);
                if (kafkaPort == null && bootstrap.find()) {
                    kafkaPort = bootstrap.group(1);
                }
            }
        }
        catch (IOException ex) {
            // no /proc: report only what can be read
        }
        for (String[] broker : brokers) {
            // without a service to tell the port (the in-JVM test stack), any broker could be another stack's
            if (kafkaPort != null && listensOn(broker[1], kafkaPort)) {
                found.put("kafka", Long.parseLong(broker[0]));
                break;
            }
        }
        found.put("bench", ProcessHandle.current().pid());
        return new ProcessProbe(found);
    }

    private static boolean listensOn(String cmdline, String port) {
        Matcher config = CONFIG.matcher(cmdline);
        if (!config.find()) {
            return false;
        }
        try {
            return Files.readAllLines(Path.of(config.group(1))).stream()
                    .anyMatch(line -> line.startsWith("listeners=") && (line + ",").contains(":" + port + ","));
        }
        catch (IOException | RuntimeException ex) {
            return false;
        }
    }

    private static String role(String cmdline) {
        if (!cmdline.contains("java")) {
            return null;
        }
        if (cmdline.contains("kafka.Kafka ")) {
            return "kafka";
        }
        if (cmdline.contains("/herald-all-") && cmdline.contains("-exec.jar")) {
            return "herald-all";
        }
        for (String service : List.of("producer-api", "notification-store", "push-gateway")) {
            if (cmdline.contains("/" + service + "-") && cmdline.contains("-exec.jar")) {
                if (service.equals("push-gateway")) {
                    Matcher port = PORT.matcher(cmdline);
                    return port.find() ? "gateway:" + port.group(1) : "gateway";
                }
                return service;
            }
        }
        return null;
    }

    Long pidOf(String name) {
        return pids.get(name);
    }

    List<Sample> sample() {
        List<Sample> samples = new ArrayList<>();
        pids.forEach((name, pid) -> {
            Sample s = sample(name, pid);
            if (s != null) {
                samples.add(s);
            }
        });
        return samples;
    }

    static Sample sample(String name, long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime field 15
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return new Sample(name, pid, ticks, rssKiB(pid), Payload.now());
        }
        catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            // gone
        }
        return -1;
    }

    static List<BenchReport.ProcessUsage> usage(List<Sample> before, List<Sample> after) {
        List<BenchReport.ProcessUsage> usage = new ArrayList<>();
        for (Sample end : after) {
            for (Sample start : before) {
                if (start.pid() == end.pid()) {
                    double seconds = Math.max(1e-9, (end.atNanos() - start.atNanos()) / 1e9);
                    double cpu = 100 * (end.cpuTicks() - start.cpuTicks()) / TICKS_PER_SECOND / seconds;
                    usage.add(new BenchReport.ProcessUsage(end.name(), end.pid(), Math.round(cpu * 10) / 10.0, end.rssKiB()));
                }
            }
        }
        return usage;
    }
}
