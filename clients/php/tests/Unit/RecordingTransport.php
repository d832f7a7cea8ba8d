<?php

declare(strict_types=1);

namespace Herald\Tests\Unit;

use Herald\Transport\Request;
use Herald\Transport\Response;
use Herald\Transport\Transport;

/** Answers with the scripted responses (or throws the scripted exceptions) and keeps every request. */
final class RecordingTransport implements Transport
{
    /** @var list<Request> */
    public array $requests = [];

    /** @var list<Response|\Throwable> */
    private array $answers;

    public function __construct(Response|\Throwable ...$answers)
    {
        $this->answers = $answers;
    }

    public static function json(int $status, array|object $body, array $headers = []): Response
    {
        return new Response($status, $headers + ['Content-Type' => 'application/json'], json_encode($body));
    }

    public function send(Request $request): Response
    {
        $this->requests[] = $request;
        $answer = array_shift($this->answers) ?? throw new \LogicException('no answer scripted for ' . $request->method . ' ' . $request->url);
        if ($answer instanceof \Throwable) {
            throw $answer;
        }
        return $answer;
    }

    public function last(): Request
    {
        return $this->requests[count($this->requests) - 1];
    }

    public function lastJson(): mixed
    {
        return json_decode((string) $this->last()->body, true);
    }
}
