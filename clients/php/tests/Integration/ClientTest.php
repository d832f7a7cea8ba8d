<?php

declare(strict_types=1);

namespace Herald\Tests\Integration;

use Herald\AuthenticationException;
use Herald\HeraldClient;
use Herald\Notification;
use Herald\RetryPolicy;
use Herald\TransportException;
use Herald\ValidationException;

final class ClientTest extends ServicesTestCase
{
    public function testANotificationLandsInTheInboxWithItsFields(): void
    {
        $user = self::newUser();

        $sent = $this->herald->notify($user, 'order.shipped', 'Shipped from PHP', 'Order 42 is on its way', ['orderId' => 42, 'via' => 'php']);

        self::assertSame($user, $sent[0]['userId']);
        $item = $this->awaitInbox($user, 1)[0];
        self::assertSame($sent[0]['eventId'], $item['eventId']);
        self::assertSame(['order.shipped', 'Shipped from PHP', 'Order 42 is on its way'], [$item['type'], $item['title'], $item['body']]);
        self::assertSame(['orderId' => 42, 'via' => 'php'], $item['data']);
        self::assertFalse($item['read']);
    }

    public function testActionsAndExpiryReachTheInboxAndABadActionIsRefusedNamingIt(): void
    {
        $user = self::newUser();
        $actions = [['id' => 'track', 'label' => 'Track', 'url' => 'https://carrier.example/42'], ['id' => 'archive', 'label' => 'Archive', 'action' => 'archive']];
        $expiresAt = new \DateTimeImmutable('+1 hour');

        $this->herald->notify(new Notification($user, 'order.shipped', 'With buttons', actions: $actions, expiresAt: $expiresAt));

        $item = $this->awaitInbox($user, 1)[0];
        self::assertSame($actions, $item['actions']);
        self::assertSame($expiresAt->getTimestamp(), (new \DateTimeImmutable($item['expiresAt']))->getTimestamp());
        try {
            $this->herald->notify(new Notification($user, 'order.shipped', 'Bad', actions: [['id' => 'x', 'label' => 'X', 'url' => 'ftp://x.example']]));
            self::fail('accepted an ftp URL');
        } catch (ValidationException $e) {
            self::assertArrayHasKey('actions[0].url', $e->fieldErrors());
        }
    }

    public function testTheSameIdempotencyKeyIsTheSameNotification(): void
    {
        $user = self::newUser();
        $key = 'php-it-' . bin2hex(random_bytes(8));

        $first = $this->herald->notify($user, 'order.shipped', 'Once', idempotencyKey: $key);
        $again = $this->herald->notify($user, 'order.shipped', 'Once', idempotencyKey: $key);

        self::assertSame($first[0]['eventId'], $again[0]['eventId']);
        $this->awaitInbox($user, 1);
        $this->herald->notify($user, 'order.shipped', 'A marker after both');
        $own = $this->awaitInbox($user, 2);
        self::assertSame(['A marker after both', 'Once'], array_column($own, 'title'), 'the retried notification is stored once');
    }

    public function testRecipientsGetOneEventEach(): void
    {
        [$bob, $carol] = [self::newUser(), self::newUser()];

        $sent = $this->herald->notify([$bob, $carol], 'system.alert', 'Maintenance at noon');

        self::assertSame([$bob, $carol], array_column($sent, 'userId'));
        self::assertSame($sent[0]['eventId'], $this->awaitInbox($bob, 1)[0]['eventId']);
        self::assertSame($sent[1]['eventId'], $this->awaitInbox($carol, 1)[0]['eventId']);
    }

    public function testABatchAnswersPerNotification(): void
    {
        [$alice, $bob, $carol] = [self::newUser(), self::newUser(), self::newUser()];

        $results = $this->herald->notifyMany([
            new Notification($alice, 'chat.message', 'Hi Alice'),
            new Notification([$bob, $carol], 'system.alert', 'Hi both'),
        ]);

        self::assertCount(2, $results);
        self::assertSame([$alice], array_column($results[0], 'userId'));
        self::assertSame([$bob, $carol], array_column($results[1], 'userId'));
        self::assertSame('Hi Alice', $this->awaitInbox($alice, 1)[0]['title']);
        self::assertSame($results[1][1]['eventId'], $this->awaitInbox($carol, 1)[0]['eventId']);
    }

    public function testABatchWithABadItemIsRefusedNamingTheField(): void
    {
        try {
            $this->herald->notifyMany([new Notification(self::newUser(), 'chat.message', 'Fine'), new Notification(self::newUser(), 'chat.message', '')]);
            self::fail('accepted a notification without a title');
        } catch (ValidationException $e) {
            self::assertSame(400, $e->status);
            self::assertArrayHasKey('notifications[1].title', $e->fieldErrors());
            self::assertStringContainsString('notifications[1].title', $e->getMessage());
        }
    }

    public function testAMessageToAChannelIsInItsHistory(): void
    {
        $channel = 'php-it:' . bin2hex(random_bytes(6));

        $published = $this->herald->publish($channel, 'order.status', 'Packed', 'Step 2 of 3', ['step' => 2]);

        self::assertSame($channel, $published['channel']);
        $items = self::await(function () use ($channel): ?array {
            $items = $this->herald->channelMessages($channel)['items'];
            return $items === [] ? null : $items;
        }, "the message in the history of $channel");
        self::assertSame($published['eventId'], $items[0]['eventId']);
        self::assertSame(['Packed', ['step' => 2]], [$items[0]['title'], $items[0]['data']]);
    }

    public function testATokenReadsOnlyItsUsersInboxAndTheChannelsItGrants(): void
    {
        $user = self::newUser();
        $channel = 'php-it:' . bin2hex(random_bytes(6));
        $this->herald->notify($user, 'order.shipped', 'For the page');
        $this->awaitInbox($user, 1);

        $token = $this->herald->mintToken($user, 120, ['php-it:*']);

        $claims = json_decode(base64_decode(strtr(explode('.', $token['token'])[1], '-_', '+/')), true);
        self::assertSame($user, $claims['sub']);
        self::assertSame(['php-it:*'], $claims['channels']);
        self::assertEqualsWithDelta(time() + 120, $claims['exp'], 5);
        [$status, $page] = $this->getAsUser('/v1/me/notifications', $token['token']);
        self::assertSame(200, $status);
        self::assertSame('For the page', array_values(array_filter($page['items'], static fn ($i) => $i['channel'] === null))[0]['title']);
        self::assertSame(200, $this->getAsUser("/v1/channels/$channel/messages", $token['token'])[0]);
        self::assertSame(403, $this->getAsUser('/v1/channels/other:1/messages', $token['token'])[0]);
    }

    public function testTheInboxPagesCountsAndMarksRead(): void
    {
        $user = self::newUser();
        foreach (['first', 'second', 'third'] as $title) {
            $this->herald->notify($user, 'chat.message', $title);
        }
        $own = $this->awaitInbox($user, 3);
        self::assertSame(['third', 'second', 'first'], array_column($own, 'title'));
        $channelMessages = count($this->herald->notifications($user)['items']) - 3; // the store's inbox channels, if any
        self::assertSame(3 + $channelMessages, $this->herald->unreadCount($user));

        $page = $this->herald->notifications($user, limit: 2);
        self::assertSame(['third', 'second'], array_column($page['items'], 'title'));
        self::assertNotNull($page['next']);
        $older = $this->herald->notifications($user, limit: 2, before: $page['next']);
        self::assertSame('first', $older['items'][0]['title']);

        $read = $this->herald->markRead($user, $own[0]['eventId']);
        self::assertTrue($read['applied']);
        self::assertSame(2 + $channelMessages, $read['unread']);
        self::assertSame(['second', 'first'], array_column(array_filter(
            $this->herald->notifications($user, status: 'unread')['items'], static fn ($i) => $i['channel'] === null), 'title'));

        $all = $this->herald->markAllRead($user);
        self::assertTrue($all['applied']);
        self::assertSame(0, $all['unread']);
        self::assertSame(0, $this->herald->unreadCount($user));
    }

    public function testItemsAreSeenAndArchivedWithTheCountsKeptExact(): void
    {
        $user = self::newUser();
        foreach (['first', 'second'] as $title) {
            $this->herald->notify($user, 'chat.message', $title);
        }
        $own = $this->awaitInbox($user, 2);
        $channelMessages = count($this->herald->notifications($user)['items']) - 2; // the store's inbox channels, if any
        self::assertSame(2 + $channelMessages, $this->herald->unseenCount($user));

        $seen = $this->herald->markSeen($user, $own[0]['eventId']);
        self::assertTrue($seen['applied']);
        self::assertSame(1 + $channelMessages, $seen['unseen']);
        self::assertSame(2 + $channelMessages, $seen['unread'], 'seen is not read');

        $archived = $this->herald->archive($user, $own[1]['eventId']);
        self::assertSame(1 + $channelMessages, $archived['unread']);
        self::assertSame([$own[1]['eventId']], array_column($this->herald->notifications($user, status: 'archived')['items'], 'eventId'));
        self::assertNotContains($own[1]['eventId'], array_column($this->herald->notifications($user)['items'], 'eventId'));

        self::assertSame(2 + $channelMessages, $this->herald->unarchive($user, $own[1]['eventId'])['unread']);
        self::assertSame(0, $this->herald->markAllSeen($user)['unseen']);
        $this->herald->markRead($user, $own[0]['eventId']);
        $this->herald->archiveAll($user);
        self::assertSame([$own[0]['eventId']], array_column($this->herald->notifications($user, status: 'archived')['items'], 'eventId'));
    }

    public function testAMutedTypeArrivesMutedUnlessCriticalAndABadSetNamesTheField(): void
    {
        $user = self::newUser();
        $set = $this->herald->setPreferences($user, [['type' => 'marketing.*', 'mute' => true]]);
        self::assertTrue($set['applied']);
        self::assertSame([['type' => 'marketing.*', 'mute' => true]], $this->herald->preferences($user)['rules']);

        $this->herald->notify($user, 'marketing.promo', 'Muted');
        $this->herald->notify(new Notification($user, 'marketing.promo', 'Critical', critical: true));
        $this->herald->notify($user, 'order.shipped', 'Shipped');

        self::assertSame(['Shipped', 'Critical'], array_column($this->awaitInbox($user, 2), 'title'));
        $channelMessages = count($this->herald->notifications($user)['items']) - 2;
        self::assertSame(2 + $channelMessages, $this->herald->unreadCount($user));

        try {
            $this->herald->setPreferences($user, [['type' => 'Marketing!', 'mute' => true]]);
            self::fail('expected a ValidationException');
        } catch (ValidationException $e) {
            self::assertSame(['rules[0].type'], array_keys($e->fieldErrors()));
        }
        self::assertSame('marketing.*', $this->herald->preferences($user)['rules'][0]['type']);
    }

    public function testAKeyThatIsNotOneIsAnAuthenticationException(): void
    {
        $client = new HeraldClient($this->producerUrl, 'not-the-key', storeUrl: $this->storeUrl);
        try {
            $client->notify(self::newUser(), 'chat.message', 'Nope');
            self::fail('accepted a wrong key');
        } catch (AuthenticationException $e) {
            self::assertSame(401, $e->status);
            self::assertStringContainsString('API key is not valid', $e->getMessage());
            self::assertSame(401, $e->problem['status']);
        }
        $this->expectException(AuthenticationException::class);
        $client->unreadCount(self::newUser());
    }

    public function testAKeyWithoutTheScopeIsRefusedWith403(): void
    {
        $sendOnly = getenv('HERALD_SEND_ONLY_API_KEY');
        if (!$sendOnly) {
            self::markTestSkipped('set HERALD_SEND_ONLY_API_KEY (a key with scope send only)');
        }
        $client = new HeraldClient($this->producerUrl, $sendOnly);
        try {
            $client->mintToken(self::newUser());
            self::fail('a send-only key minted a token');
        } catch (AuthenticationException $e) {
            self::assertSame(403, $e->status);
            self::assertNotEmpty($e->detail());
        }
    }

    public function testNoAnswerIsATransportExceptionAfterTheRetries(): void
    {
        $closed = stream_socket_server('tcp://127.0.0.1:0');
        $address = stream_socket_get_name($closed, false);
        fclose($closed); // a port that was just free: nothing listens there
        $waits = [];
        $client = new HeraldClient('http://' . $address, $this->apiKey, retryPolicy: new RetryPolicy(3, sleep: function (float $s) use (&$waits): void {
            $waits[] = $s;
        }));

        try {
            $client->notify(self::newUser(), 'chat.message', 'Nobody there');
            self::fail('no exception');
        } catch (TransportException $e) {
            self::assertSame(0, $e->status);
            self::assertStringContainsString("POST http://$address/v1/notifications", $e->getMessage());
        }
        self::assertSame([0.5, 1.0], $waits);
    }
}
