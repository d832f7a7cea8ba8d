package dev.herald.store.inbox;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.herald.schema.FieldError;
import dev.herald.store.filters.FilterKeys;
import dev.herald.store.ingest.AppliedPositions;
import dev.herald.support.ApiException;
import dev.herald.support.Authentication;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET …/notifications/counts?filter=all&filter=type:order.*&filter=tag:vip} (issue 17 item 2):
 * the unread and unseen counts of several tabs in one call, read from the counters only (unread_counts
 * and inbox_counts, kept by InboxWriter in the transaction of the rows), never from the rows.
 */
@RestController
class InboxCountsController {

    static final int MAX_FILTERS = 20;

    private final TabCounts tabCounts;
    private final UserPartitions partitions;

    InboxCountsController(TabCounts tabCounts, UserPartitions partitions) {
        this.tabCounts = tabCounts;
        this.partitions = partitions;
    }

    @GetMapping("/v1/me/notifications/counts")
    Counts myCounts(@RequestAttribute(Authentication.USER) String userId, @RequestParam MultiValueMap<String, String> params) {
        return tabCounts.of(userId, partitions.of(userId), filters(params.get("filter")));
    }

    @GetMapping("/v1/users/{userId}/notifications/counts")
    Counts userCounts(@PathVariable String userId, @RequestParam MultiValueMap<String, String> params) {
        return myCounts(InboxController.validUser(userId), params);
    }

    /** The filters as given (none: {@code all}), each parsed; a 400 names {@code filter} (too many) or {@code filter[i]}. */
    private static List<Filter> filters(List<String> values) {
        if (values == null || values.isEmpty()) {
            return List.of(new Filter(FilterKeys.ALL, Optional.empty()));
        }
        if (values.size() > MAX_FILTERS) {
            throw ApiException.badRequest("filter", "must be given at most " + MAX_FILTERS + " times, not " + values.size());
        }
        List<FieldError> errors = new ArrayList<>();
        List<Filter> filters = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            FilterKeys.Result parsed = FilterKeys.parse(values.get(i));
            if (parsed.refused()) {
                errors.add(new FieldError("filter[" + i + "]", parsed.problem()));
            }
            else {
                filters.add(new Filter(values.get(i), parsed.key()));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        return filters;
    }

    /** A requested filter: as the client spelled it, and its counter key (empty for {@code all}). */
    record Filter(String name, Optional<String> key) {
    }

    /** The body: each filter's counts, in the order asked, exact at {@code cursor}. */
    record Counts(List<FilterCount> counts, String cursor) {
    }

    record FilterCount(String filter, int unread, int unseen) {
    }

    /** Reads the counters and the position from one snapshot, as {@link UnreadCounts} does. */
    @Component
    static class TabCounts {

        private final InboxRepository inbox;
        private final UnreadCounts unreadCounts;
        private final AppliedPositions positions;

        TabCounts(InboxRepository inbox, UnreadCounts unreadCounts, AppliedPositions positions) {
            this.inbox = inbox;
            this.unreadCounts = unreadCounts;
            this.positions = positions;
        }

        @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
        Counts of(String userId, int partition, List<Filter> filters) {
            String cursor = positions.current(partition).toString();
            Set<String> keys = new LinkedHashSet<>();
            filters.forEach(filter -> filter.key().ifPresent(keys::add));
            Map<String, int[]> byKey = inbox.keyCounts(userId, keys);
            UnreadCounts.Counts all = filters.stream().anyMatch(filter -> filter.key().isEmpty())
                    ? unreadCounts.counts(userId) : null;
            List<FilterCount> counts = new ArrayList<>(filters.size());
            for (Filter filter : filters) {
                if (filter.key().isEmpty()) {
                    counts.add(new FilterCount(filter.name(), all.unread(), all.unseen()));
                }
                else {
                    int[] c = byKey.getOrDefault(filter.key().get(), new int[2]);
                    counts.add(new FilterCount(filter.name(), c[0], c[1]));
                }
            }
            return new Counts(counts, cursor);
        }
    }
}
