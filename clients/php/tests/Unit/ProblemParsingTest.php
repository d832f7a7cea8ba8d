<?php

declare(strict_types=1);

namespace Herald\Tests\Unit;

use Herald\AuthenticationException;
use Herald\HeraldException;
use Herald\NotFoundException;
use Herald\RateLimitedException;
use Herald\Transport\Response;
use Herald\UnavailableException;
use Herald\ValidationException;
use PHPUnit\Framework\TestCase;

final class ProblemParsingTest extends TestCase
{
    private static function problem(int $status, array $problem, array $headers = []): Response
    {
        return new Response($status, $headers + ['Content-Type' => 'application/problem+json'], json_encode($problem));
    }

    public function testA400IsAValidationExceptionNamingEachField(): void
    {
        $e = HeraldException::fromResponse(self::problem(400, [
            'type' => 'about:blank', 'title' => 'Bad Request', 'status' => 400,
            'detail' => 'the request has invalid fields',
            'errors' => [
                ['field' => 'notifications[1].title', 'message' => 'must be 1 to 200 characters'],
                ['field' => 'type', 'message' => 'must be lower-case words'],
            ],
        ]));

        self::assertInstanceOf(ValidationException::class, $e);
        self::assertSame(400, $e->status);
        self::assertSame('the request has invalid fields', $e->detail());
        self::assertSame(['notifications[1].title' => 'must be 1 to 200 characters', 'type' => 'must be lower-case words'], $e->fieldErrors());
        self::assertSame('the request has invalid fields (notifications[1].title: must be 1 to 200 characters; type: must be lower-case words)', $e->getMessage());
        self::assertSame('Bad Request', $e->problem['title']);
    }

    public function testA401AndA403AreAuthenticationExceptions(): void
    {
        $unauthorized = HeraldException::fromResponse(self::problem(401, ['status' => 401, 'detail' => 'the API key is not valid']));
        $forbidden = HeraldException::fromResponse(self::problem(403, ['status' => 403, 'detail' => 'this key lacks the scope tokens']));

        self::assertInstanceOf(AuthenticationException::class, $unauthorized);
        self::assertInstanceOf(AuthenticationException::class, $forbidden);
        self::assertSame([401, 403], [$unauthorized->status, $forbidden->status]);
        self::assertSame('this key lacks the scope tokens', $forbidden->getMessage());
    }

    public function testA404IsNotFound(): void
    {
        self::assertInstanceOf(NotFoundException::class, HeraldException::fromResponse(self::problem(404, ['detail' => 'No static resource'])));
    }

    public function testA429CarriesRetryAfterSeconds(): void
    {
        $e = HeraldException::fromResponse(self::problem(429, ['detail' => 'rate limit of key it'], ['Retry-After' => '7']));

        self::assertInstanceOf(RateLimitedException::class, $e);
        self::assertSame(7, $e->retryAfter);
    }

    public function testA503CarriesRetryAfterAndTheIdempotencyKeyOfTheProblem(): void
    {
        $e = HeraldException::fromResponse(self::problem(503, ['detail' => 'Kafka did not accept it', 'idempotencyKey' => 'gen-1'], ['retry-after' => '2']));

        self::assertInstanceOf(UnavailableException::class, $e);
        self::assertSame(2, $e->retryAfter);
        self::assertSame('gen-1', $e->problem['idempotencyKey']);
    }

    public function testRetryAfterMayBeAnHttpDate(): void
    {
        $now = strtotime('2026-12-03T12:00:00Z');

        self::assertSame(30, HeraldException::retryAfter('Thu, 03 Dec 2026 12:00:30 GMT', $now));
        self::assertSame(0, HeraldException::retryAfter('Thu, 03 Dec 2026 11:00:00 GMT', $now));
        self::assertNull(HeraldException::retryAfter('soon', $now));
        self::assertNull(HeraldException::retryAfter(null, $now));
    }

    public function testAnotherStatusIsTheBaseExceptionAndABodyThatIsNotJsonIsQuoted(): void
    {
        $e = HeraldException::fromResponse(new Response(502, ['Content-Type' => 'text/html'], '<h1>Bad gateway</h1>'));

        self::assertSame(HeraldException::class, get_class($e));
        self::assertSame(502, $e->status);
        self::assertSame([], $e->problem);
        self::assertSame('HTTP 502 <h1>Bad gateway</h1>', $e->getMessage());
    }
}
