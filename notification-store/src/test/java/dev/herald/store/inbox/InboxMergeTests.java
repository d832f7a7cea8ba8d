package dev.herald.store.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import dev.herald.store.inbox.InboxMerge.Candidate;

class InboxMergeTests {

    /** An item named by its stream and offset, accepted at {@code acceptedAtMs}. */
    private static Candidate<String> item(String stream, long offset, long acceptedAtMs) {
        return new Candidate<>(stream, offset, acceptedAtMs, (stream.isEmpty() ? "u" : stream) + offset);
    }

    @Test
    void takesTheLatestAcceptedHeadFirstAndKeepsEachStreamInItsOwnOrder() {
        Map<String, List<Candidate<String>>> streams = new LinkedHashMap<>();
        // The user's offsets 9 and 8 were accepted out of time order: the stream's order stands.
        streams.put(InboxMerge.USER, List.of(item("", 9, 100), item("", 8, 130), item("", 5, 50)));
        streams.put("system", List.of(item("system", 3, 120), item("system", 2, 100), item("system", 1, 10)));

        InboxMerge.Page<String> page = InboxMerge.merge(streams, false, 10);

        assertThat(page.items()).containsExactly("system3", "system2", "u9", "u8", "u5", "system1");
        assertThat(page.more()).isFalse();
        assertThat(page.positions()).isEmpty();
    }

    @Test
    void leavesEachStreamWhereThePageEndedAndAStreamWithNothingTakenJustPastItsFirstCandidate() {
        Map<String, List<Candidate<String>>> streams = new LinkedHashMap<>();
        streams.put(InboxMerge.USER, List.of(item("", 9, 300), item("", 8, 200), item("", 4, 100)));
        streams.put("alerts", List.of(item("alerts", 7, 50)));
        streams.put("system", List.of(item("system", 3, 250), item("system", 2, 150)));

        InboxMerge.Page<String> page = InboxMerge.merge(streams, false, 2);

        assertThat(page.items()).containsExactly("u9", "system3");
        assertThat(page.more()).isTrue();
        assertThat(page.positions()).containsExactly(Map.entry("", 9L), Map.entry("alerts", 8L), Map.entry("system", 3L));
    }

    @Test
    void breaksTiesByStreamNameTheUsersFirstWhenOldestFirst() {
        Map<String, List<Candidate<String>>> streams = new LinkedHashMap<>();
        streams.put(InboxMerge.USER, List.of(item("", 1, 100), item("", 2, 200)));
        streams.put("system", List.of(item("system", 5, 100), item("system", 6, 200)));

        InboxMerge.Page<String> page = InboxMerge.merge(streams, true, 3);

        assertThat(page.items()).containsExactly("u1", "system5", "u2");
        assertThat(page.positions()).as("after-bounds: the last taken, or just before the first candidate")
                .containsExactly(Map.entry("system", 5L));
    }

    /** Pages through generated streams, as the controller does, and gets every item once, in the one-page order. */
    @Test
    void pagingFromThePositionsGivesTheWholeMergeWithoutGapOrRepeat() {
        List<Candidate<String>> user = new ArrayList<>();
        List<Candidate<String>> system = new ArrayList<>();
        List<Candidate<String>> alerts = new ArrayList<>();
        for (int i = 60; i >= 0; i--) {
            user.add(item("", i * 2L, (i * 37L) % 50 + i * 3L));
            if (i % 3 == 0) {
                system.add(item("system", i, i * 3L));
            }
            if (i % 7 == 0) {
                alerts.add(item("alerts", i, i * 3L + 1));
            }
        }
        Map<String, List<Candidate<String>>> all = new LinkedHashMap<>();
        all.put(InboxMerge.USER, user);
        all.put("system", system);
        all.put("alerts", alerts);
        List<String> whole = InboxMerge.merge(all, false, 1000).items();

        for (int limit : new int[] { 1, 2, 5, 7, 50 }) {
            List<String> paged = new ArrayList<>();
            Map<String, Long> before = null;
            for (int pages = 0; pages < 1000; pages++) {
                Map<String, List<Candidate<String>>> streams = new LinkedHashMap<>();
                for (Map.Entry<String, List<Candidate<String>>> stream : all.entrySet()) {
                    if (before != null && !before.containsKey(stream.getKey())) {
                        continue; // a stream the cursor does not name has nothing left
                    }
                    long bound = before == null ? Long.MAX_VALUE : before.get(stream.getKey());
                    Predicate<Candidate<String>> inRange = c -> c.offset() < bound;
                    streams.put(stream.getKey(), stream.getValue().stream().filter(inRange).limit(limit + 1).toList());
                }
                InboxMerge.Page<String> page = InboxMerge.merge(streams, false, limit);
                paged.addAll(page.items());
                if (!page.more()) {
                    break;
                }
                before = page.positions();
            }
            assertThat(paged).as("limit " + limit).isEqualTo(whole);
        }
        assertThat(whole).hasSize(61 + 21 + 9).doesNotHaveDuplicates();
    }
}
