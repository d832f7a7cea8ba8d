package dev.herald.it.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code /actuator/prometheus} scrape: the samples, by metric name and labels. */
public final class Scrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+).*$");

    private final List<Sample> samples;

    private Scrape(List<Sample> samples) {
        this.samples = samples;
    }

    public static Scrape of(String baseUrl) {
        Http.Response response = Http.get(baseUrl + "/actuator/prometheus", null);
        if (response.status() != 200) {
            throw new AssertionError("scrape of " + baseUrl + " failed: " + response.status());
        }
        List<Sample> samples = new ArrayList<>();
        for (String line : response.raw().body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                samples.add(new Sample(m.group(1), m.group(2) == null ? "" : m.group(2), Double.parseDouble(m.group(3))));
            }
        }
        return new Scrape(samples);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Whether a metric family of this name was exported (a histogram counts by its _bucket/_count/_sum). */
    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name) || s.name().equals(name + "_bucket")
                || s.name().equals(name + "_count") || s.name().equals(name + "_total"));
    }

    /** The sum of the samples named exactly {@code name} whose labels contain every {@code labelFragments}. */
    public double sum(String name, String... labelFragments) {
        return samples.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> Arrays.stream(labelFragments).allMatch(s.labels()::contains))
                .mapToDouble(Sample::value)
                .sum();
    }

    public record Sample(String name, String labels, double value) {
    }
}
