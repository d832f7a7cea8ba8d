<?php

declare(strict_types=1);

namespace Herald;

use Herald\Transport\Response;

/**
 * A refusal or failure from Herald: the HTTP status (0 when Herald was not reached), the RFC 9457
 * problem document it answered, and Retry-After in seconds when it gave one. Catch this for
 * everything; catch a subclass for one kind.
 */
class HeraldException extends \RuntimeException
{
    /** @param array<string, mixed> $problem */
    public function __construct(
        string $message,
        public readonly int $status = 0,
        public readonly array $problem = [],
        public readonly ?int $retryAfter = null,
        ?\Throwable $previous = null,
    ) {
        parent::__construct($message, $status, $previous);
    }

    /** The problem's `detail`: what Herald says to do. */
    public function detail(): ?string
    {
        $detail = $this->problem['detail'] ?? null;
        return is_string($detail) ? $detail : null;
    }

    /**
     * The fields Herald named, field => message ("notifications[1].title" => "must not be blank").
     *
     * @return array<string, string>
     */
    public function fieldErrors(): array
    {
        $fields = [];
        foreach ($this->problem['errors'] ?? [] as $error) {
            if (is_array($error) && isset($error['field'])) {
                $fields[(string) $error['field']] = (string) ($error['message'] ?? '');
            }
        }
        return $fields;
    }

    /** The typed exception for an answer that is not 2xx. */
    public static function fromResponse(Response $response): self
    {
        $decoded = json_decode($response->body, true);
        $problem = is_array($decoded) ? $decoded : [];
        $detail = is_string($problem['detail'] ?? null) ? $problem['detail'] : trim('HTTP ' . $response->status . ' ' . substr($response->body, 0, 200));
        $fields = [];
        foreach ($problem['errors'] ?? [] as $error) {
            if (is_array($error) && isset($error['field'])) {
                $fields[] = $error['field'] . ': ' . ($error['message'] ?? '');
            }
        }
        $message = $detail . ($fields ? ' (' . implode('; ', $fields) . ')' : '');
        $retryAfter = self::retryAfter($response->header('retry-after'));
        return match (true) {
            $response->status === 400 => new ValidationException($message, 400, $problem, $retryAfter),
            $response->status === 401, $response->status === 403 => new AuthenticationException($message, $response->status, $problem, $retryAfter),
            $response->status === 404 => new NotFoundException($message, 404, $problem, $retryAfter),
            $response->status === 429 => new RateLimitedException($message, 429, $problem, $retryAfter),
            $response->status === 503 => new UnavailableException($message, 503, $problem, $retryAfter),
            default => new self($message, $response->status, $problem, $retryAfter),
        };
    }

    /** Retry-After as seconds from now: delta-seconds or an HTTP date; null when absent or unreadable. */
    public static function retryAfter(?string $value, ?int $now = null): ?int
    {
        if ($value === null || trim($value) === '') {
            return null;
        }
        $value = trim($value);
        if (ctype_digit($value)) {
            return (int) $value;
        }
        $at = strtotime($value);
        return $at === false ? null : max(0, $at - ($now ?? time()));
    }
}
