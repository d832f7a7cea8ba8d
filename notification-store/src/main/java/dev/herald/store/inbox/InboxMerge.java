package dev.herald.store.inbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One page of an inbox made of several streams: the user's own notifications (ordered by the user
 * partition's offset) and each inbox channel's messages (ordered by the channel partition's
 * offset). Each stream keeps its own order; the page takes the head that was accepted latest
 * (oldest first: earliest), ties broken by stream name, the user's stream being {@code ""}. That is
 * a plain merge of sorted lists, so it depends only on what is left of each stream: a page that
 * goes on from where the previous one left each stream continues the same sequence, without a gap
 * or a repeat, even where acceptance times within a stream are not monotonic. Pure logic.
 */
final class InboxMerge {

    /** The name of the user's own stream among the channels (no channel is named so). */
    static final String USER = "";

    private InboxMerge() {
    }

    /**
     * @param stream {@link #USER} or the channel
     * @param offset the position of the item in its stream
     */
    record Candidate<T>(String stream, long offset, long acceptedAtMs, T item) {
    }

    /**
     * @param items the page, in page order
     * @param more whether any stream has candidates after the page
     * @param positions per stream with candidates left, the exclusive bound to read it from next:
     *        the offset of the last item taken from it, or just past its first candidate when none
     *        was taken (so that it is read again); streams with none left are absent
     */
    record Page<T>(List<T> items, boolean more, Map<String, Long> positions) {
    }

    /**
     * Merges up to {@code limit} items from {@code streams}, each in page order (newest first, or
     * oldest first when {@code oldestFirst}) and holding at least {@code limit + 1} candidates when
     * it has that many, so that {@code more} is exact.
     */
    static <T> Page<T> merge(Map<String, List<Candidate<T>>> streams, boolean oldestFirst, int limit) {
        Map<String, Integer> taken = new HashMap<>();
        streams.keySet().forEach(stream -> taken.put(stream, 0));
        List<T> items = new ArrayList<>();
        while (items.size() < limit) {
            Candidate<T> best = null;
            for (Map.Entry<String, List<Candidate<T>>> stream : streams.entrySet()) {
                int next = taken.get(stream.getKey());
                if (next < stream.getValue().size()) {
                    Candidate<T> head = stream.getValue().get(next);
                    if (best == null || comesFirst(head, best, oldestFirst)) {
                        best = head;
                    }
                }
            }
            if (best == null) {
                break;
            }
            items.add(best.item());
            taken.merge(best.stream(), 1, Integer::sum);
        }
        Map<String, Long> positions = new TreeMap<>();
        for (Map.Entry<String, List<Candidate<T>>> stream : streams.entrySet()) {
            List<Candidate<T>> candidates = stream.getValue();
            int n = taken.get(stream.getKey());
            if (n < candidates.size()) {
                long position = n > 0 ? candidates.get(n - 1).offset()
                        : candidates.get(0).offset() + (oldestFirst ? -1 : 1);
                positions.put(stream.getKey(), position);
            }
        }
        return new Page<>(items, !positions.isEmpty(), positions);
    }

    private static boolean comesFirst(Candidate<?> a, Candidate<?> b, boolean oldestFirst) {
        int order = Long.compare(a.acceptedAtMs(), b.acceptedAtMs());
        if (order == 0) {
            order = a.stream().compareTo(b.stream());
        }
        return oldestFirst ? order < 0 : order > 0;
    }
}
