<?php

declare(strict_types=1);

namespace Herald\Tests\Integration;

use Herald\HeraldClient;
use PHPUnit\Framework\TestCase;

/**
 * Tests against running Herald services, named by the environment: HERALD_PRODUCER_URL,
 * HERALD_STORE_URL, HERALD_API_KEY (scopes send, tokens, read) and HERALD_SEND_ONLY_API_KEY.
 * integration-tests' PhpClientIntegrationTests starts the services and runs these.
 */
abstract class ServicesTestCase extends TestCase
{
    protected string $producerUrl;
    protected string $storeUrl;
    protected string $apiKey;
    protected HeraldClient $herald;

    protected function setUp(): void
    {
        $producer = getenv('HERALD_PRODUCER_URL');
        $store = getenv('HERALD_STORE_URL');
        $key = getenv('HERALD_API_KEY');
        if (!$producer || !$store || !$key) {
            self::markTestSkipped('set HERALD_PRODUCER_URL, HERALD_STORE_URL and HERALD_API_KEY to run against the services');
        }
        [$this->producerUrl, $this->storeUrl, $this->apiKey] = [$producer, $store, $key];
        $this->herald = new HeraldClient($producer, $key, storeUrl: $store);
    }

    protected static function newUser(string $prefix = 'php'): string
    {
        return $prefix . '-' . bin2hex(random_bytes(6));
    }

    /**
     * Polls until $probe returns something other than null, for up to $seconds (the store applies
     * what producer-api accepted asynchronously, through Kafka).
     *
     * @template T
     * @param callable(): (T|null) $probe
     * @return T
     */
    protected static function await(callable $probe, string $what, float $seconds = 20.0): mixed
    {
        $deadline = microtime(true) + $seconds;
        do {
            $result = $probe();
            if ($result !== null) {
                return $result;
            }
            usleep(100_000);
        } while (microtime(true) < $deadline);
        self::fail("waited {$seconds} s for {$what}");
    }

    /** @return list<array<string, mixed>> the user's own notifications (not inbox channels'), newest first, once there are $count */
    protected function awaitInbox(string $userId, int $count): array
    {
        return self::await(function () use ($userId, $count): ?array {
            $own = array_values(array_filter($this->herald->notifications($userId)['items'], static fn (array $item) => $item['channel'] === null));
            return count($own) >= $count ? $own : null;
        }, "$count notifications in the inbox of $userId");
    }

    /** GET on the store with a user token: [status, decoded body]. */
    protected function getAsUser(string $path, string $token): array
    {
        $curl = curl_init($this->storeUrl . $path);
        curl_setopt_array($curl, [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 10, CURLOPT_HTTPHEADER => ['Authorization: Bearer ' . $token]]);
        $body = curl_exec($curl);
        $status = curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
        curl_close($curl);
        return [$status, json_decode((string) $body, true)];
    }
}
