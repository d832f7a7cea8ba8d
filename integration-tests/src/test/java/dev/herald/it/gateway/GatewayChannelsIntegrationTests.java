package dev.herald.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.herald.it.support.HeraldStack;
import dev.herald.schema.Cursor;
import dev.herald.schema.frames.ClientFrame;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;

/**
 * Channels: one message reaches every subscriber on every gateway exactly once, subscriptions are
 * checked against the token, and a subscription resumes by its channel's cursor with no gap and no
 * duplicate, wherever the session lands.
 */
class GatewayChannelsIntegrationTests {

    private final HeraldStack stack = HeraldStack.get();

    @BeforeAll
    static void gateways() {
        Gateways.shared();
    }

    /** A session of a new user at the gateway that owns it, with a token granting {@code patterns}. */
    private WsClient session(String prefix, int partition, List<String> patterns) {
        String user = Gateways.userOnPartition(prefix, partition);
        WsClient client = WsClient.open(Gateways.ownerOf(user).wsUrl(), stack.tokenFor(user, patterns), null);
        client.awaitFrame(ServerFrame.Welcome.class);
        return client;
    }

    private static ServerFrame.Subscribed subscribe(WsClient client, String channel, Cursor since) {
        client.send(Frames.encode(new ClientFrame.Subscribe(channel, since == null ? null : since.toString())));
        return client.awaitFrame(ServerFrame.Subscribed.class, s -> s.channel().equals(channel));
    }

    private static List<String> ids(List<ServerFrame.Message> messages) {
        return messages.stream().map(m -> m.event().eventId()).toList();
    }

    private static List<String> ids(List<Map.Entry<String, Cursor>> published, int from) {
        return published.subList(from, published.size()).stream().map(Map.Entry::getKey).toList();
    }

    @Test
    void oneMessageReachesTheSubscribersOnEveryGatewayOnceAndInOrder() {
        List<TestGateway> gateways = Gateways.shared();
        String channel = ChannelMessages.newChannel("system");
        List<WsClient> clients = new ArrayList<>();
        for (TestGateway gateway : gateways) {
            int partition = gateway.ownedPartitions().iterator().next();
            WsClient client = session("sys", partition, List.of("system:*"));
            assertThat(subscribe(client, channel, null).replay()).isZero();
            clients.add(client);
        }
        WsClient bystander = session("bystander", gateways.get(0).ownedPartitions().iterator().next(), List.of("*"));

        List<Map.Entry<String, Cursor>> published = ChannelMessages.publish(channel, 2);

        for (WsClient client : clients) {
            List<ServerFrame.Message> got = client.awaitMessages(channel, 2);
            assertThat(ids(got)).containsExactlyElementsOf(ids(published, 0));
            assertThat(got.get(1).cursor().offset()).isEqualTo(published.get(1).getValue().offset());
            assertThat(got.get(0).cursor().epoch()).as("channel cursors carry the channel topic's epoch").isNotNull();
            assertThat(got.get(0).event().title()).isEqualTo("Message 0");
        }
        assertThat(bystander.messages(channel)).as("not subscribed").isEmpty();
        clients.forEach(WsClient::close);
        bystander.close();
    }

    @Test
    void aSubscriptionOutsideTheTokensChannelsIsRefusedAndTheSessionGoesOn() {
        WsClient client = session("nosy", 0, List.of("order:1"));

        client.send(Frames.encode(new ClientFrame.Subscribe("order:42", null)));
        ServerFrame.Error refused = client.awaitFrame(ServerFrame.Error.class);
        client.send(Frames.encode(new ClientFrame.Subscribe("Not A Channel", null)));
        ServerFrame.Error invalid = client.awaitFrame(ServerFrame.Error.class, e -> e.code().equals("invalid-channel"));
        ServerFrame.Subscribed granted = subscribe(client, "order:1", null);

        assertThat(refused.code()).isEqualTo("channel-forbidden");
        assertThat(refused.channel()).isEqualTo("order:42");
        assertThat(invalid.channel()).isEqualTo("Not A Channel");
        assertThat(granted.channel()).isEqualTo("order:1");
        assertThat(client.isClosed()).isFalse();
        client.close();
    }

    @Test
    void aSessionMaySubscribeToAtMostItsLimit() {
        WsClient client = session("greedy", 1, List.of("*"));
        String family = ChannelMessages.newChannel("many").replace(':', '-');
        for (int i = 0; i < 100; i++) {
            client.send(Frames.encode(new ClientFrame.Subscribe(family + ":" + i, null)));
        }
        client.awaitFrame(ServerFrame.Subscribed.class, s -> s.channel().equals(family + ":99"));

        client.send(Frames.encode(new ClientFrame.Subscribe(family + ":100", null)));

        assertThat(client.awaitFrame(ServerFrame.Error.class).code()).isEqualTo("subscription-limit");
        client.send(Frames.encode(new ClientFrame.Unsubscribe(family + ":0")));
        assertThat(subscribe(client, family + ":100", null).channel()).isEqualTo(family + ":100");
        client.close();
    }

    @Test
    void aReconnectingSubscriberGetsExactlyWhatItMissedInOrder() {
        String channel = ChannelMessages.newChannel("order");
        WsClient first = session("watcher", 2, List.of("order:*"));
        subscribe(first, channel, null);
        Cursor last = ChannelMessages.publish(channel, 1).get(0).getValue();
        Cursor seen = first.awaitMessages(channel, 1).get(0).cursor();
        assertThat(seen.offset()).isEqualTo(last.offset());
        first.close();

        List<Map.Entry<String, Cursor>> missed = ChannelMessages.publish(channel, 50);
        WsClient again = session("watcher", 2, List.of("order:*"));
        ServerFrame.Subscribed resumed = subscribe(again, channel, seen);
        ChannelMessages.publish(channel, 1);

        assertThat(resumed.replay()).isEqualTo(50);
        List<ServerFrame.Message> got = again.awaitMessages(channel, 51);
        assertThat(ids(got.subList(0, 50))).containsExactlyElementsOf(ids(missed, 0));
        assertThat(got).hasSize(51);
        assertThat(again.frames()).noneMatch(ServerFrame.ChannelResync.class::isInstance);
        again.close();
    }

    @Test
    void aCursorOlderThanTheChannelsHistoryGetsTheGapToFillFromTheStoreAndTheRestAtOnce() {
        String channel = ChannelMessages.newChannel("feed");
        // More than a channel keeps (history-per-user, 500 by default): the oldest fall out.
        List<Map.Entry<String, Cursor>> published = ChannelMessages.publish(channel, 520);
        WsClient client = session("reader", 3, List.of("feed:*"));

        ServerFrame.Subscribed subscribed = subscribe(client, channel, published.get(0).getValue());
        ServerFrame.ChannelResync resync = client.awaitFrame(ServerFrame.ChannelResync.class);

        assertThat(resync.channel()).isEqualTo(channel);
        assertThat(resync.from().offset()).isEqualTo(published.get(0).getValue().offset());
        int firstKept = 520 - subscribed.replay();
        assertThat(resync.to().offset()).isEqualTo(published.get(firstKept - 1).getValue().offset());
        assertThat(ids(client.awaitMessages(channel, subscribed.replay()))).containsExactlyElementsOf(ids(published, firstKept));
        client.close();
    }

    @Test
    void subscribersOfAStoppedGatewayResumeOnTheNextWithNothingLostOrTwice() {
        Gateways.shared();
        TestGateway extra = Gateways.startExtra();
        Gateways.awaitStable();
        String channel = ChannelMessages.newChannel("dashboard");
        int partition = extra.ownedPartitions().iterator().next();
        String user = Gateways.userOnPartition("ops", partition);
        String token = stack.tokenFor(user, List.of("dashboard:*"));
        WsClient before = WsClient.open(extra.wsUrl(), token, null);
        before.awaitFrame(ServerFrame.Welcome.class);
        subscribe(before, channel, null);
        List<Map.Entry<String, Cursor>> first = ChannelMessages.publish(channel, 5);
        Cursor seen = before.awaitMessages(channel, 5).get(4).cursor();

        extra.stop();
        before.awaitClose();
        List<Map.Entry<String, Cursor>> meanwhile = ChannelMessages.publish(channel, 20);
        Gateways.awaitStable();
        WsClient after = WsClient.open(Gateways.ownerOf(user).wsUrl(), token, null);
        after.awaitFrame(ServerFrame.Welcome.class);
        subscribe(after, channel, seen);

        assertThat(ids(before.messages(channel))).containsExactlyElementsOf(ids(first, 0));
        assertThat(ids(after.awaitMessages(channel, 20))).containsExactlyElementsOf(ids(meanwhile, 0));
        after.close();
    }
}
