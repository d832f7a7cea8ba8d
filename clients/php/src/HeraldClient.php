<?php

declare(strict_types=1);

namespace Herald;

/**
 * A minimal Herald client for PHP backends (CodeIgniter, Laravel, plain PHP): plain ext-curl, no
 * dependencies. It sends notifications to producer-api and mints user tokens for your pages.
 *
 * Every notify() carries an Idempotency-Key (yours, or one it generates), and a 503 or a network
 * failure is retried with that same key: Herald then keeps exactly one copy, never two.
 */
final class HeraldClient
{
    public function __construct(
        private readonly string $producerUrl,
        private readonly string $apiKey,
        private readonly int $timeoutSeconds = 10,
        private readonly int $attempts = 3,
    ) {
    }

    /**
     * Sends one notification to one user or several.
     *
     * @param string|list<string> $recipients a user id, or up to 1,000 of them
     * @param array<string, mixed>|null $data free-form JSON object for your page
     * @return list<array{userId: string, eventId: string, cursor: string}> one entry per recipient
     */
    public function notify(
        string|array $recipients,
        string $type,
        string $title,
        string $body = '',
        ?array $data = null,
        ?string $idempotencyKey = null,
    ): array {
        $payload = is_array($recipients) ? ['recipients' => array_values($recipients)] : ['userId' => $recipients];
        $payload += ['type' => $type, 'title' => $title, 'body' => $body];
        if ($data !== null) {
            $payload['data'] = (object) $data;
        }
        $key = $idempotencyKey ?? bin2hex(random_bytes(16));
        return $this->post('/v1/notifications', $payload, ['Idempotency-Key: ' . $key])['notifications'];
    }

    /**
     * A short-lived token for one user's page: it lets that page read and receive only that user's notifications.
     *
     * @return array{token: string, expiresAt: string}
     */
    public function mintToken(string $userId, int $ttlSeconds = 3600): array
    {
        return $this->post('/v1/tokens', ['userId' => $userId, 'ttlSeconds' => $ttlSeconds]);
    }

    /** @return array<string, mixed> */
    private function post(string $path, array $payload, array $headers = []): array
    {
        $json = json_encode($payload, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
        for ($attempt = 1; ; $attempt++) {
            try {
                return $this->send($path, $json, $headers);
            } catch (HeraldException $e) {
                $retriable = $e->status === 0 || $e->status === 503;
                if (!$retriable || $attempt >= $this->attempts) {
                    throw $e;
                }
                sleep(min(5, $e->retryAfter ?? $attempt));
            }
        }
    }

    /** @return array<string, mixed> */
    private function send(string $path, string $json, array $headers): array
    {
        $curl = curl_init(rtrim($this->producerUrl, '/') . $path);
        $responseHeaders = [];
        curl_setopt_array($curl, [
            CURLOPT_POST => true,
            CURLOPT_POSTFIELDS => $json,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_TIMEOUT => $this->timeoutSeconds,
            CURLOPT_HTTPHEADER => array_merge([
                'Authorization: Bearer ' . $this->apiKey,
                'Content-Type: application/json',
                'Accept: application/json, application/problem+json',
            ], $headers),
            CURLOPT_HEADERFUNCTION => static function ($curl, string $line) use (&$responseHeaders): int {
                $parts = explode(':', $line, 2);
                if (count($parts) === 2) {
                    $responseHeaders[strtolower(trim($parts[0]))] = trim($parts[1]);
                }
                return strlen($line);
            },
        ]);
        $body = curl_exec($curl);
        $status = (int) curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
        $error = curl_error($curl);
        curl_close($curl);
        if ($body === false) {
            throw new HeraldException('Herald could not be reached: ' . $error, 0);
        }
        $decoded = json_decode((string) $body, true) ?? [];
        if ($status < 200 || $status >= 300) {
            $fields = array_map(static fn (array $e): string => $e['field'] . ': ' . $e['message'], $decoded['errors'] ?? []);
            $detail = $decoded['detail'] ?? ('HTTP ' . $status);
            throw new HeraldException(
                $detail . ($fields ? ' (' . implode('; ', $fields) . ')' : ''),
                $status,
                $decoded,
                isset($responseHeaders['retry-after']) ? (int) $responseHeaders['retry-after'] : null,
            );
        }
        return $decoded;
    }
}

/** A refusal or failure from Herald, with the HTTP status (0: not reached) and the problem+json body. */
final class HeraldException extends \RuntimeException
{
    /** @param array<string, mixed> $problem */
    public function __construct(
        string $message,
        public readonly int $status,
        public readonly array $problem = [],
        public readonly ?int $retryAfter = null,
    ) {
        parent::__construct($message, $status);
    }
}
