<?php

declare(strict_types=1);

namespace Herald\Tests\Unit;

use Herald\HeraldClient;
use Herald\Notification;
use Herald\RetryPolicy;
use PHPUnit\Framework\TestCase;

final class RequestBuildingTest extends TestCase
{
    private const ACCEPTED = ['notifications' => [['userId' => 'alice', 'eventId' => 'e1', 'cursor' => '1-1']]];

    private function client(RecordingTransport $transport): HeraldClient
    {
        return new HeraldClient('http://producer:8080/', 'the-key', storeUrl: 'http://store:8081/', transport: $transport, retryPolicy: RetryPolicy::none());
    }

    public function testNotifySendsOneUserWithTheKeyAndAGeneratedIdempotencyKey(): void
    {
        $transport = new RecordingTransport(RecordingTransport::json(202, self::ACCEPTED));

        $sent = $this->client($transport)->notify('alice', 'order.shipped', 'Shipped', 'Order 42', ['orderId' => 42]);

        $request = $transport->last();
        self::assertSame('POST', $request->method);
        self::assertSame('http://producer:8080/v1/notifications', $request->url);
        self::assertSame('Bearer the-key', $request->header('authorization'));
        self::assertSame('application/json', $request->header('content-type'));
        self::assertMatchesRegularExpression('/^[0-9a-f]{32}$/', (string) $request->header('idempotency-key'));
        self::assertSame(['userId' => 'alice', 'type' => 'order.shipped', 'title' => 'Shipped', 'body' => 'Order 42', 'data' => ['orderId' => 42]], $transport->lastJson());
        self::assertSame(self::ACCEPTED['notifications'], $sent);
    }

    public function testEachCallGetsItsOwnIdempotencyKeyUnlessOneIsGiven(): void
    {
        $transport = new RecordingTransport(...array_fill(0, 3, RecordingTransport::json(202, self::ACCEPTED)));
        $client = $this->client($transport);

        $client->notify('alice', 't', 'one');
        $client->notify('alice', 't', 'two');
        $client->notify('alice', 't', 'three', idempotencyKey: 'order-42-shipped');

        [$first, $second, $third] = array_map(static fn ($r) => $r->header('Idempotency-Key'), $transport->requests);
        self::assertNotSame($first, $second);
        self::assertSame('order-42-shipped', $third);
    }

    public function testRecipientsAListAndEmptyDataIsAnObject(): void
    {
        $transport = new RecordingTransport(RecordingTransport::json(202, self::ACCEPTED));

        $this->client($transport)->notify(['bob', 'carol'], 'system.alert', 'Noon', data: []);

        self::assertSame('{"recipients":["bob","carol"],"type":"system.alert","title":"Noon","body":"","data":{}}', $transport->last()->body);
    }

    public function testANotificationValueObjectCarriesEventIdAndOccurredAtInUtc(): void
    {
        $transport = new RecordingTransport(RecordingTransport::json(202, self::ACCEPTED));
        $at = new \DateTimeImmutable('2026-12-03 15:04:05.123', new \DateTimeZone('Europe/Berlin'));

        $this->client($transport)->notify(new Notification('alice', 'chat.message', 'Hi', eventId: 'msg-7', occurredAt: $at));

        self::assertSame(['userId' => 'alice', 'type' => 'chat.message', 'title' => 'Hi', 'body' => '',
            'eventId' => 'msg-7', 'occurredAt' => '2026-12-03T14:04:05.123Z'], $transport->lastJson());
    }

    public function testNotifyManyPostsTheBatchAndCutsTheAnswerPerItem(): void
    {
        $answer = ['notifications' => [
            ['userId' => 'alice', 'eventId' => 'a', 'cursor' => '1-1'],
            ['userId' => 'bob', 'eventId' => 'b', 'cursor' => '2-1'],
            ['userId' => 'carol', 'eventId' => 'c', 'cursor' => '3-1'],
        ]];
        $transport = new RecordingTransport(RecordingTransport::json(202, $answer));

        $results = $this->client($transport)->notifyMany([
            new Notification('alice', 'chat.message', 'Hi'),
            new Notification(['bob', 'carol', 'bob'], 'system.alert', 'Noon'),
        ], 'batch-1');

        self::assertSame('http://producer:8080/v1/notifications/batch', $transport->last()->url);
        self::assertSame('batch-1', $transport->last()->header('Idempotency-Key'));
        self::assertSame('alice', $transport->lastJson()['notifications'][0]['userId']);
        self::assertSame(['bob', 'carol', 'bob'], $transport->lastJson()['notifications'][1]['recipients']);
        self::assertSame([['a'], ['b', 'c']], array_map(static fn (array $item) => array_column($item, 'eventId'), $results));
    }

    public function testABatchAnswerThatDoesNotAddUpIsAnError(): void
    {
        $this->expectException(\Herald\HeraldException::class);
        $this->expectExceptionMessage('Herald accepted 1 events for a batch that makes 2');

        HeraldClient::perItem([new Notification(['a', 'b'], 't', 'x')], [['userId' => 'a', 'eventId' => 'e', 'cursor' => '1-1']]);
    }

    public function testPublishKeepsTheColonsOfTheChannelName(): void
    {
        $transport = new RecordingTransport(RecordingTransport::json(202, ['channel' => 'order:42', 'eventId' => 'e', 'cursor' => '1-1@x']));

        $published = $this->client($transport)->publish('order:42', 'order.status', 'Packed', data: ['step' => 2], idempotencyKey: 'k');

        self::assertSame('http://producer:8080/v1/channels/order:42/messages', $transport->last()->url);
        self::assertSame(['type' => 'order.status', 'title' => 'Packed', 'body' => '', 'data' => ['step' => 2]], $transport->lastJson());
        self::assertSame('order:42', $published['channel']);
    }

    public function testMintTokenSendsTheChannelPatternsOnlyWhenGiven(): void
    {
        $transport = new RecordingTransport(
            RecordingTransport::json(200, ['token' => 't1', 'expiresAt' => 'x']),
            RecordingTransport::json(200, ['token' => 't2', 'expiresAt' => 'x']),
        );
        $client = $this->client($transport);

        $client->mintToken('alice');
        self::assertSame(['userId' => 'alice', 'ttlSeconds' => 3600], $transport->lastJson());
        self::assertNull($transport->last()->header('Idempotency-Key'));

        $client->mintToken('alice', 120, ['system', 'order:*']);
        self::assertSame(['userId' => 'alice', 'ttlSeconds' => 120, 'channels' => ['system', 'order:*']], $transport->lastJson());
    }

    public function testInboxReadsGoToTheStoreWithTheUserIdEncoded(): void
    {
        $page = ['items' => [], 'next' => null, 'cursor' => null];
        $transport = new RecordingTransport(
            RecordingTransport::json(200, $page),
            RecordingTransport::json(200, $page),
            RecordingTransport::json(200, ['unread' => 3]),
            RecordingTransport::json(200, ['eventId' => 'e 1', 'cursor' => '1-2', 'applied' => true, 'unread' => 2]),
            RecordingTransport::json(200, ['eventId' => null, 'cursor' => '1-2', 'applied' => true, 'unread' => 0]),
            RecordingTransport::json(200, $page),
        );
        $client = $this->client($transport);

        $client->notifications('al/ice?');
        $client->notifications('alice', status: 'unread', limit: 20, before: '7-3@Xk3f');
        $unread = $client->unreadCount('alice');
        $client->markRead('alice', 'e 1', 'system');
        $client->markAllRead('alice');
        $client->channelMessages('order:42', limit: 5, after: '2-5@Xk');

        self::assertSame([
            'GET http://store:8081/v1/users/al%2Fice%3F/notifications',
            'GET http://store:8081/v1/users/alice/notifications?status=unread&limit=20&before=7-3%40Xk3f',
            'GET http://store:8081/v1/users/alice/notifications/unread-count',
            'POST http://store:8081/v1/users/alice/notifications/e%201/read?channel=system',
            'POST http://store:8081/v1/users/alice/notifications/read-all',
            'GET http://store:8081/v1/channels/order:42/messages?limit=5&after=2-5%40Xk',
        ], array_map(static fn ($r) => $r->method . ' ' . $r->url, $transport->requests));
        self::assertSame(3, $unread);
        self::assertNull($transport->requests[0]->body);
        self::assertSame('Bearer the-key', $transport->requests[3]->header('Authorization'));
    }

    public function testItemStatesGoToTheStoreWithTheIdsEncoded(): void
    {
        $answer = ['eventId' => 's', 'cursor' => '1-2', 'applied' => true, 'unread' => 1, 'unseen' => 0];
        $transport = new RecordingTransport(
            RecordingTransport::json(200, ['unread' => 3, 'unseen' => 2, 'cursor' => '1-2']),
            ...array_fill(0, 6, RecordingTransport::json(200, $answer)),
        );
        $client = $this->client($transport);

        $unseen = $client->unseenCount('al/ice');
        $seen = $client->markSeen('alice', 'e 1');
        $client->markAllSeen('alice');
        $client->archive('alice', 'e 1', 'system');
        $client->unarchive('alice', 'e 1');
        $client->archiveAll('alice');
        $client->archiveAll('alice', 'all');

        self::assertSame([
            'GET http://store:8081/v1/users/al%2Fice/notifications/unread-count',
            'POST http://store:8081/v1/users/alice/notifications/e%201/seen',
            'POST http://store:8081/v1/users/alice/notifications/seen-all',
            'POST http://store:8081/v1/users/alice/notifications/e%201/archive?channel=system',
            'POST http://store:8081/v1/users/alice/notifications/e%201/unarchive',
            'POST http://store:8081/v1/users/alice/notifications/archive-all?status=read',
            'POST http://store:8081/v1/users/alice/notifications/archive-all?status=all',
        ], array_map(static fn ($r) => $r->method . ' ' . $r->url, $transport->requests));
        self::assertSame(2, $unseen);
        self::assertSame(0, $seen['unseen']);
        self::assertSame('Bearer the-key', $transport->requests[1]->header('Authorization'));
    }

    public function testInboxReadsWithoutAStoreUrlSayWhatToSet(): void
    {
        $client = new HeraldClient('http://producer:8080', 'k', transport: new RecordingTransport());

        $this->expectException(\LogicException::class);
        $this->expectExceptionMessage('pass storeUrl');
        $client->unreadCount('alice');
    }

    public function testASuccessThatIsNotJsonIsAnError(): void
    {
        $transport = new RecordingTransport(new \Herald\Transport\Response(200, [], '<html>proxy</html>'));

        $this->expectException(\Herald\HeraldException::class);
        $this->expectExceptionMessage('not a JSON object');
        $this->client($transport)->mintToken('alice');
    }
}
