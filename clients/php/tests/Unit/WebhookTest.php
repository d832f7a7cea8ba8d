<?php

declare(strict_types=1);

namespace Herald\Tests\Unit;

use Herald\Webhook;
use Herald\WebhookException;
use PHPUnit\Framework\TestCase;

final class WebhookTest extends TestCase
{
    private const SECRET = 'whsec-0123456789abcdef';
    private const T = 1767225600;

    private static function body(): string
    {
        return '{"deliveryId":"6f1c0a52-3b7e-3c1a-9d2e-0c8b4f7a1e55","kind":"unseen","userId":"alice","eventId":"e-1",'
            . '"source":"shop","type":"order.shipped","title":"Shipped","acceptedAt":"2026-12-31T00:00:00Z","deliveredAt":null}';
    }

    public function testTheSignatureIsTheSameAsHeraldsForTheSameInput(): void
    {
        // The vector of notification-store's WebhookSignatureTests (there computed with Python's hmac).
        self::assertSame('a7a14c07b9d7a98be54deda21ddbf1bf681ae5bba62750e2abebdc2b37246936',
            Webhook::sign('{"kind":"unseen"}', self::SECRET, self::T));
    }

    public function testAValidFreshSignatureGivesTheAlert(): void
    {
        $alert = Webhook::verify(self::body(), Webhook::header(self::body(), self::SECRET, self::T), self::SECRET, now: self::T + 299);

        self::assertSame('unseen', $alert['kind']);
        self::assertSame('alice', $alert['userId']);
        self::assertSame('6f1c0a52-3b7e-3c1a-9d2e-0c8b4f7a1e55', $alert['deliveryId']);
    }

    public function testAChangedBodyTheWrongSecretAndAnOldTimestampAreRefused(): void
    {
        $header = Webhook::header(self::body(), self::SECRET, self::T);
        $cases = [
            'changed body' => [str_replace('alice', 'mallory', self::body()), $header, self::SECRET, self::T, 'does not match'],
            'wrong secret' => [self::body(), $header, 'another-secret-0123456789', self::T, 'does not match'],
            'too old' => [self::body(), $header, self::SECRET, self::T + 301, 'older than 300'],
            'timestamp changed' => [self::body(), str_replace('t=' . self::T, 't=' . (self::T + 1), $header), self::SECRET, self::T, 'does not match'],
            'no header' => [self::body(), null, self::SECRET, self::T, 'no Herald-Signature'],
            'malformed' => [self::body(), 'sha256=abc', self::SECRET, self::T, 'must look like'],
            'no secret' => [self::body(), $header, '', self::T, 'no webhook secret'],
            'not an alert' => ['{"hello":1}', Webhook::header('{"hello":1}', self::SECRET, self::T), self::SECRET, self::T, 'not a Herald receipt alert'],
        ];
        foreach ($cases as $name => [$body, $signature, $secret, $now, $message]) {
            try {
                Webhook::verify($body, $signature, $secret, now: $now);
                self::fail($name . ' was accepted');
            } catch (WebhookException $e) {
                self::assertStringContainsString($message, $e->getMessage(), $name);
            }
        }
    }

    public function testOneMatchingV1AmongSeveralIsEnough(): void
    {
        $header = 't=' . self::T . ',v1=' . str_repeat('0', 64) . ',v1=' . Webhook::sign(self::body(), self::SECRET, self::T);

        self::assertSame('e-1', Webhook::verify(self::body(), $header, self::SECRET, now: self::T)['eventId']);
    }
}
