<?php

declare(strict_types=1);

namespace Herald\Tests\Unit;

use Herald\HeraldClient;
use Herald\RateLimitedException;
use Herald\RetryPolicy;
use Herald\TransportException;
use Herald\Transport\Response;
use Herald\UnavailableException;
use Herald\ValidationException;
use PHPUnit\Framework\TestCase;

final class RetryPolicyTest extends TestCase
{
    /** @var list<float> */
    private array $slept = [];

    private function client(RecordingTransport $transport, int $attempts = 3): HeraldClient
    {
        $policy = new RetryPolicy($attempts, baseDelaySeconds: 0.5, maxDelaySeconds: 5.0, sleep: function (float $s): void {
            $this->slept[] = $s;
        });
        return new HeraldClient('http://producer', 'k', transport: $transport, retryPolicy: $policy);
    }

    private static function unavailable(?string $retryAfter = null): Response
    {
        return RecordingTransport::json(503, ['status' => 503, 'detail' => 'Kafka did not accept it in time'], $retryAfter === null ? [] : ['Retry-After' => $retryAfter]);
    }

    public function testA503IsSentAgainWithTheSameIdempotencyKeyAfterRetryAfter(): void
    {
        $transport = new RecordingTransport(
            self::unavailable('1'),
            self::unavailable('2'),
            RecordingTransport::json(202, ['notifications' => [['userId' => 'a', 'eventId' => 'e', 'cursor' => '1-1']]]),
        );

        $sent = $this->client($transport)->notify('a', 't', 'x');

        self::assertCount(3, $transport->requests);
        self::assertCount(1, array_unique(array_map(static fn ($r) => $r->header('Idempotency-Key'), $transport->requests)));
        self::assertSame([1.0, 2.0], $this->slept);
        self::assertSame('e', $sent[0]['eventId']);
    }

    public function testNoAnswerIsSentAgainWithExponentialBackOff(): void
    {
        $transport = new RecordingTransport(
            new TransportException('connection refused'),
            new TransportException('timed out', timedOut: true),
            new TransportException('connection reset'),
            RecordingTransport::json(200, ['token' => 't', 'expiresAt' => 'x']),
        );

        $token = $this->client($transport, attempts: 4)->mintToken('a');

        self::assertSame('t', $token['token']);
        self::assertSame([0.5, 1.0, 2.0], $this->slept);
    }

    public function testWaitsAreBoundedEvenWhenHeraldAsksForMore(): void
    {
        $transport = new RecordingTransport(self::unavailable('120'), RecordingTransport::json(202, ['notifications' => [['userId' => 'a', 'eventId' => 'e', 'cursor' => '1-1']]]));

        $this->client($transport)->notify('a', 't', 'x');

        self::assertSame([5.0], $this->slept);
    }

    public function testTheLastFailureIsThrownWhenTheAttemptsAreSpent(): void
    {
        $transport = new RecordingTransport(self::unavailable(), self::unavailable(), self::unavailable(), self::unavailable());

        try {
            $this->client($transport)->notify('a', 't', 'x');
            self::fail('no exception');
        } catch (UnavailableException $e) {
            self::assertSame(503, $e->status);
        }
        self::assertCount(3, $transport->requests);
        self::assertSame([0.5, 1.0], $this->slept);
    }

    public function testRefusalsAndRateLimitsAreNotRetried(): void
    {
        $transport = new RecordingTransport(
            RecordingTransport::json(400, ['detail' => 'bad', 'errors' => [['field' => 'title', 'message' => 'must not be blank']]]),
            RecordingTransport::json(429, ['detail' => 'slow down'], ['Retry-After' => '3']),
        );
        $client = $this->client($transport);

        try {
            $client->notify('a', 't', '');
            self::fail('no exception');
        } catch (ValidationException $e) {
            self::assertSame(['title' => 'must not be blank'], $e->fieldErrors());
        }
        try {
            $client->notify('a', 't', 'x');
            self::fail('no exception');
        } catch (RateLimitedException $e) {
            self::assertSame(3, $e->retryAfter);
        }
        self::assertCount(2, $transport->requests);
        self::assertSame([], $this->slept);
    }

    public function testDelaysOfThePolicy(): void
    {
        $policy = new RetryPolicy(5, baseDelaySeconds: 1.0, maxDelaySeconds: 3.0, sleep: static function (): void {
        });
        $noAnswer = new TransportException('refused');

        self::assertSame([1.0, 2.0, 3.0, 3.0, null], array_map(static fn (int $attempt) => $policy->delayAfter($attempt, $noAnswer), [1, 2, 3, 4, 5]));
        self::assertSame(0.0, $policy->delayAfter(1, new UnavailableException('x', 503, [], 0)));
        self::assertNull($policy->delayAfter(1, new ValidationException('x', 400)));
    }

    public function testAtLeastOneAttempt(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        new RetryPolicy(0);
    }
}
