<?php

declare(strict_types=1);

namespace Herald\Tests\Unit;

use Herald\HeraldClient;
use Herald\Notification;
use Herald\RetryPolicy;
use PHPUnit\Framework\TestCase;

final class ActionsExpiryTest extends TestCase
{
    private const ACTIONS = [
        ['id' => 'track', 'label' => 'Track parcel', 'url' => 'https://carrier.example/track?id=42'],
        ['id' => 'archive', 'label' => 'Archive', 'action' => 'archive'],
    ];

    public function testANotificationCarriesItsActionsAndItsExpiryInUtc(): void
    {
        $expiresAt = new \DateTimeImmutable('2026-12-04 13:30:00.250', new \DateTimeZone('Europe/Berlin'));
        $payload = (new Notification('alice', 'order.shipped', 'Shipped', actions: self::ACTIONS, expiresAt: $expiresAt))->toArray();

        self::assertSame(self::ACTIONS, $payload['actions']);
        self::assertSame('2026-12-04T12:30:00.250Z', $payload['expiresAt']);
    }

    public function testWithoutThemNeitherFieldIsSent(): void
    {
        $payload = (new Notification('alice', 't', 'x'))->toArray();

        self::assertArrayNotHasKey('actions', $payload);
        self::assertArrayNotHasKey('expiresAt', $payload);
    }

    public function testBatchItemsAndChannelMessagesCarryThemToo(): void
    {
        $transport = new RecordingTransport(
            RecordingTransport::json(202, ['notifications' => [['userId' => 'a', 'eventId' => 'e1', 'cursor' => '1-1']]]),
            RecordingTransport::json(202, ['channel' => 'system', 'eventId' => 'm1', 'cursor' => '0-1']),
        );
        $client = new HeraldClient('http://producer:8080/', 'the-key', storeUrl: 'http://store:8081/', transport: $transport, retryPolicy: RetryPolicy::none());
        $expiresAt = new \DateTime('2026-12-04T00:00:00Z');

        $client->notifyMany([new Notification('a', 't', 'x', actions: self::ACTIONS, expiresAt: $expiresAt)]);
        self::assertSame(self::ACTIONS, $transport->lastJson()['notifications'][0]['actions']);
        self::assertSame('2026-12-04T00:00:00.000Z', $transport->lastJson()['notifications'][0]['expiresAt']);

        $client->publish('system', 'system.maintenance', 'Down at 3', actions: [self::ACTIONS[0]], expiresAt: $expiresAt);
        self::assertSame([self::ACTIONS[0]], $transport->lastJson()['actions']);
        self::assertSame('2026-12-04T00:00:00.000Z', $transport->lastJson()['expiresAt']);
    }
}
