package dev.herald.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads one service's Prometheus scrape: sums of a metric's series, filtered by a label text. */
final class Scrape {

    private final HttpClient http;
    private final URI url;

    Scrape(HttpClient http, String baseUrl) {
        this.http = http;
        this.url = Loopback.toLoopback(baseUrl).resolve("/actuator/prometheus");
    }

    /** The sum of {@code metric}'s series whose labels contain {@code labelText}, or -1 if unreadable. */
    double sum(String metric, String labelText) {
        String body = body(metric);
        if (body == null) {
            return -1;
        }
        double sum = 0;
        boolean found = false;
        for (String line : body.split("\n")) {
            if (line.startsWith(metric + "{") && line.contains(labelText)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? sum : -1;
    }

    /**
     * The cumulative bucket counts of a Prometheus histogram ({@code le} → count), summed over its
     * series; empty if unreadable.
     */
    java.util.TreeMap<Double, Long> buckets(String histogram) {
        java.util.TreeMap<Double, Long> counts = new java.util.TreeMap<>();
        String body = body(histogram);
        if (body == null) {
            return counts;
        }
        String prefix = histogram + "_bucket{";
        for (String line : body.split("\n")) {
            if (line.startsWith(prefix)) {
                int le = line.indexOf("le=\"");
                if (le < 0) {
                    continue;
                }
                String bound = line.substring(le + 4, line.indexOf('"', le + 4));
                double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                long count = Math.round(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                counts.merge(upper, count, Long::sum);
            }
        }
        return counts;
    }

    /**
     * The scrape of {@code metric} alone: the lag sampler asks the store once a second, and a whole
     * scrape (about 930 series, 120 KB, most of them its Kafka clients') cost the store 11-14 ms of
     * CPU against 9-10 ms for one metric (C1-compiled, 2026-12-04), all counted in its share.
     */
    private String body(String metric) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "?includedNames=" + metric))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        }
        catch (java.io.IOException | RuntimeException ex) {
            return null;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The store's lag: records of {@code herald.user-events} its group has not processed yet. */
    long storeLag() {
        return Math.round(sum("herald_consumer_lag", "group=\"herald-store\""));
    }
}
