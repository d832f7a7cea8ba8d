<?php

declare(strict_types=1);

namespace Herald\Tests\Unit;

use Herald\HeraldClient;
use Herald\Notification;
use Herald\RetryPolicy;
use Herald\ValidationException;
use PHPUnit\Framework\TestCase;

final class PreferencesRequestTest extends TestCase
{
    private function client(RecordingTransport $transport): HeraldClient
    {
        return new HeraldClient('http://producer:8080/', 'the-key', storeUrl: 'http://store:8081/', transport: $transport, retryPolicy: RetryPolicy::none());
    }

    public function testSetPreferencesPutsTheWholeSetForTheUser(): void
    {
        $answer = ['eventId' => 'p1', 'cursor' => '3-9', 'applied' => true, 'rules' => [['type' => 'marketing.*', 'mute' => true]]];
        $transport = new RecordingTransport(RecordingTransport::json(200, $answer));

        $result = $this->client($transport)->setPreferences('alice:1', ['x' => ['type' => 'marketing.*', 'mute' => true]]);

        $request = $transport->last();
        self::assertSame('PUT', $request->method);
        self::assertSame('http://store:8081/v1/users/alice:1/preferences', $request->url);
        self::assertSame('application/json', $request->header('content-type'));
        self::assertSame('{"rules":[{"type":"marketing.*","mute":true}]}', $request->body);
        self::assertSame($answer, $result);
    }

    public function testAnEmptySetIsAnEmptyList(): void
    {
        $transport = new RecordingTransport(RecordingTransport::json(200, ['eventId' => 'p2', 'cursor' => '3-10', 'applied' => true, 'rules' => []]));

        $this->client($transport)->setPreferences('alice', []);

        self::assertSame('{"rules":[]}', $transport->last()->body);
    }

    public function testPreferencesGetsTheUsersSet(): void
    {
        $transport = new RecordingTransport(RecordingTransport::json(200, ['rules' => [], 'cursor' => null, 'updatedAt' => null]));

        self::assertSame([], $this->client($transport)->preferences('bob')['rules']);
        self::assertSame('GET', $transport->last()->method);
        self::assertSame('http://store:8081/v1/users/bob/preferences', $transport->last()->url);
        self::assertNull($transport->last()->body);
    }

    public function testABadSetIsAValidationExceptionNamingTheField(): void
    {
        $transport = new RecordingTransport(RecordingTransport::json(400, ['status' => 400, 'detail' => 'invalid', 'errors' => [['field' => 'rules[0].type', 'message' => 'must be ...']]], ['Content-Type' => 'application/problem+json']));

        try {
            $this->client($transport)->setPreferences('alice', [['type' => 'Bad', 'mute' => true]]);
            self::fail('expected a ValidationException');
        } catch (ValidationException $e) {
            self::assertSame(['rules[0].type'], array_keys($e->fieldErrors()));
        }
    }

    public function testACriticalNotificationSaysSoAndAnOrdinaryOneSaysNothing(): void
    {
        self::assertTrue((new Notification('alice', 'security.login', 'New sign-in', critical: true))->toArray()['critical']);
        self::assertArrayNotHasKey('critical', (new Notification('alice', 'order.shipped', 'Shipped'))->toArray());
    }
}
